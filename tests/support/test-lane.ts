// Which lane a test file runs in (./lanes.ts): its project's, unless the file says, in a line of its own,
//
//   // @test-lane: own
//
// which means it uses nothing its project's files share (the shared CMS, its webhook channel, the rich site):
// it boots or builds all it needs itself, so it may run beside any file. Read from the file's text, so the
// order of the run (./lane-sequencer.ts) and the lane a worker takes (./test-file-env.ts) agree.
import { readFileSync } from 'node:fs';

const OWN = /^\/\/ @test-lane: own$/m;

export function testLane(file: string, project: string): string {
  return OWN.test(readFileSync(file, 'utf8')) ? `own:${file}` : project;
}

export const isOwnLane = (lane: string) => lane.startsWith('own:');
