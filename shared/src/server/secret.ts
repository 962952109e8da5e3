// Comparing a secret someone sent with the one configured, on the server only (the browser never sees this
// module; it is the `@agency/shared/server` entry, not the main one, because it needs node:crypto).
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `given` equals `expected`, in time that does not depend on where they differ or on their lengths
 * (both are hashed to 32 bytes first). An empty or missing `expected` matches nothing: a secret that was
 * never configured must not open anything.
 */
export function secretMatches(given: string | null | undefined, expected: string | null | undefined): boolean {
  if (!expected) return false;
  return timingSafeEqual(digest(given ?? ''), digest(expected));
}
