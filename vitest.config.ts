// One `npm test` runs three projects: fast unit tests, integration tests against a real Strapi, and
// end-to-end tests that build the real site from a running CMS.
import { defineConfig } from 'vitest/config';
import LaneSequencer from './tests/support/lane-sequencer.ts';
import TimeReport from './tests/support/time-report.ts';

// Every project names the running file in the environment, so the time report can say which file booted Strapi or built the site.
const setupFiles = ['tests/support/test-file-env.ts'];
// The run's shared CMS templates and CMSes, made once when a file first asks (tests/support/fixture-broker.ts).
const globalSetup = ['tests/support/global-setup.ts'];

// Two workers on these 2-core machines: most of a file's time is a Strapi or a build it waits for, so the
// integration and e2e projects run side by side. Within a project, files still run one at a time (each holds
// its project's lane, tests/support/lanes.ts); LaneSequencer orders them so both workers stay busy.
const maxWorkers = 2;

export default defineConfig({
  test: {
    reporters: ['default', new TimeReport()],
    maxWorkers,
    sequence: { sequencer: LaneSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/test/**/*.test.ts', 'cms/test/**/*.test.ts', 'web/test/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          setupFiles,
          maxWorkers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          setupFiles,
          globalSetup,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          maxWorkers,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          setupFiles,
          globalSetup,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
