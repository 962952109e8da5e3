// One `npm test` runs three projects: fast unit tests, integration tests against a real Strapi, and
// end-to-end tests that build the real site from a running CMS.
import { defineConfig } from 'vitest/config';
import TimeReport from './tests/support/time-report.ts';

// Every project names the running file in the environment, so the time report can say which file booted Strapi or built the site.
const setupFiles = ['tests/support/test-file-env.ts'];
// The run's shared CMS templates and CMSes, made once when a file first asks (tests/support/fixture-broker.ts).
const globalSetup = ['tests/support/global-setup.ts'];

export default defineConfig({
  test: {
    reporters: ['default', new TimeReport()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/test/**/*.test.ts', 'cms/test/**/*.test.ts', 'web/test/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          setupFiles,
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
          fileParallelism: false,
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
          fileParallelism: false,
        },
      },
    ],
  },
});
