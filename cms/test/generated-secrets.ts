// The secrets `npm start` generates into .env, fresh each call, for tests that read settings through the CMS's
// real reader (src/settings.ts): its own tests, the first-admin rule's, and the upload settings' at the root
// (tests/unit/uploads-settings.test.ts, which loads this file by path as it loads the CMS).
import { randomBytes } from 'node:crypto';

/** A random secret of the kind the generator writes. */
export const secret = () => randomBytes(24).toString('base64url');

/** NODE_ENV (`development` as `npm start` runs it, unless given) and every generated secret; everything else unset. */
export const generatedSecrets = (nodeEnv = 'development') => ({
  NODE_ENV: nodeEnv,
  APP_KEYS: [secret(), secret()].join(','),
  API_TOKEN_SALT: secret(),
  ADMIN_JWT_SECRET: secret(),
  TRANSFER_TOKEN_SALT: secret(),
  JWT_SECRET: secret(),
  ENCRYPTION_KEY: secret(),
});
