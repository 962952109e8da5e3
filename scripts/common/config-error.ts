// The one error class a program here throws for a problem the person running it fixes. Its own file, importing
// nothing: scripts/ops/production-env.ts runs where only Node's image and the repository exist (no node_modules,
// no @agency/shared), and it fails with this.

/** A problem the person running the program fixes: a flag, a file that is missing or already there, a busy port. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
