// Vitest's global setup for the integration and e2e projects: one fixture broker for the whole run
// (./fixture-broker.ts), whatever the number of projects that use it, handed to the test files as
// `inject('fixtureBroker')`. It makes nothing until a file asks, so a run of one file pays only for what it uses.
import type { TestProject } from 'vitest/node';
import { FixtureBroker } from './fixture-broker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The fixture broker's URL (./fixtures.ts reads it). */
    fixtureBroker: string;
    /** The project the file runs in: shared CMSes are per project, so two projects running at once never share one. */
    fixtureScope: string;
  }
}

// Each project runs its global setup; they share one broker in this process. It closes with the last project.
let shared: { broker: Promise<FixtureBroker>; users: number } | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared ??= {
    broker: (async () => {
      const broker = new FixtureBroker();
      await broker.start();
      return broker;
    })(),
    users: 0,
  };
  shared.users += 1;
  const broker = await shared.broker;
  project.provide('fixtureBroker', broker.url);
  project.provide('fixtureScope', project.name);
  return async () => {
    if (!shared || --shared.users > 0) return;
    const closing = shared.broker;
    shared = undefined;
    await (await closing).close();
  };
}
