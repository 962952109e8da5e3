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

// Each project runs its global setup, and Vitest loads this module once per project: a module-level variable
// would give each project a broker of its own (two first CMSes on SQLite, two sets of lanes). So the one broker
// of this process is kept on globalThis, under a key of its own; it closes with the last project.
type Shared = { broker: Promise<FixtureBroker>; users: number };
const KEY = Symbol.for('agency.tests.fixtureBroker');
const registry = globalThis as typeof globalThis & { [KEY]?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[KEY] ??= {
    broker: (async () => {
      const broker = new FixtureBroker();
      await broker.start();
      return broker;
    })(),
    users: 0,
  });
  shared.users += 1;
  const broker = await shared.broker;
  project.provide('fixtureBroker', broker.url);
  project.provide('fixtureScope', project.name);
  return async () => {
    if (--shared.users > 0) return;
    delete registry[KEY];
    await broker.close();
  };
}
