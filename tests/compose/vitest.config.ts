// `npm run test:compose`: the production stack in Docker (tests/compose/stack.test.ts). Apart from `npm test`,
// which must not need a Docker engine; .ci/run starts one and runs this after the rest.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '..', '..'),
  test: {
    include: ['tests/compose/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
    fileParallelism: false,
  },
});
