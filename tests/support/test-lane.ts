// Which lane a test file runs in (./lanes.ts): its project's, unless the file says otherwise in a line of its own:
//
//   // @test-lane: own        it uses nothing its project's files share (the shared CMS, its webhook channel,
//                            the rich site), booting or building all it needs itself: it may run beside any file;
//   // @test-lane: NAME       the same, but it shares something else with the other files that name NAME (e.g.
//                            the checkout's .env, which `npm start` writes on its first run): one of them at a time.
//
// Read from the file's text, so the order of the run (./lane-sequencer.ts) and the lane a worker takes
// (./test-file-env.ts) agree.
import { readFileSync } from 'node:fs';

const MARKER = /^\/\/ @test-lane: ([a-z0-9-]+)$/m;

export function testLane(file: string, project: string): string {
  const name = MARKER.exec(readFileSync(file, 'utf8'))?.[1];
  if (!name) return project;
  return name === 'own' ? `own:${file}` : `lane:${name}`;
}

/** A lane of the file's own: never contended, so never asked of the broker. */
export const isOwnLane = (lane: string) => lane.startsWith('own:');

/** Whether a file in `lane` runs outside its project's lane (so may not use what the project's files share). */
export const outsideProjectLane = (lane: string) => lane.startsWith('own:') || lane.startsWith('lane:');
