// Builds the CMS (TypeScript + admin panel) unless the last build is current. Used by `npm test` and CI.
// Strapi reads its config while building, so it needs secrets: the root .env when there is one,
// otherwise throwaway ones (nothing secret ends up in the build).
import { ensureCmsBuild } from './lib/cms.ts';
import { generatedSecrets } from './lib/env-file.ts';
import { step } from './lib/log.ts';
import { loadStackEnv } from './lib/stack-env.ts';

const { env } = loadStackEnv({ create: false });
const buildEnv = { ...generatedSecrets(), ...env };
await step('CMS build', () => ensureCmsBuild(buildEnv), (result) => (result === 'reused' ? '(cached: inputs unchanged)' : ''));
