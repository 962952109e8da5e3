// `npm run build:cms`: builds the CMS (TypeScript + admin panel) unless the last build is current. Used by
// `npm test`, CI and the CMS image (cms/Dockerfile). Strapi reads its config while building, so it needs
// secrets: the root .env when there is one, otherwise throwaway ones (nothing secret ends up in the build).
import { ensureCmsBuild } from './cms-runner.ts';
import { generatedSecrets } from './env-file.ts';
import { step } from './log.ts';
import { loadStackEnv } from './stack-env.ts';

const { env } = loadStackEnv({ create: false });
const buildEnv = { ...generatedSecrets(), ...env };
await step(
  'CMS build',
  () => ensureCmsBuild(buildEnv),
  (result) => (result === 'reused' ? '(cached: inputs unchanged)' : ''),
);
