// Preview links (the Strapi admin's Preview button → the preview server): each link opens one document, in one
// state, until it expires. The CMS signs {type, documentId, status, expiresAt} with PREVIEW_SECRET (HMAC-SHA256);
// the preview server recomputes the signature for the page that was asked for. The secret never travels: a
// link carries only its fields and the signature, so a leaked link opens one document for at most its lifetime.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a preview link grants. `documentId` is '' for a single type (the type alone names the document). */
export type PreviewGrant = {
  /** The content type's UID, e.g. `api::article.article`. */
  type: string;
  documentId: string;
  status: 'draft' | 'published';
  /** Unix time in seconds after which the link no longer opens anything. */
  expiresAt: number;
};

export type PreviewVerdict = 'valid' | 'expired' | 'invalid';

/** The signed bytes: a version tag and every field, JSON-encoded so no field can spill into another. */
function payload({ type, documentId, status, expiresAt }: PreviewGrant): string {
  return JSON.stringify(['agency-preview-v1', type, documentId, status, expiresAt]);
}

/** The link's signature: HMAC-SHA256 of the grant with the secret, base64url (URL-safe, no padding). */
export function signPreview(grant: PreviewGrant, secret: string): string {
  if (!secret) throw new Error('signPreview needs a secret');
  if (!Number.isSafeInteger(grant.expiresAt)) throw new Error('expiresAt must be a whole number of seconds');
  return createHmac('sha256', secret).update(payload(grant), 'utf8').digest('base64url');
}

/**
 * Whether `signature` was made with `secret` for exactly this grant ('invalid' otherwise, or when no secret is
 * configured), and if so whether it is still in time at `now` (ms, default: the clock): valid until
 * `expiresAt` inclusive, 'expired' after. A bad signature is 'invalid' whatever its expiry, so a forger learns
 * nothing. The comparison takes the same time wherever the signatures differ.
 */
export function verifyPreview(
  grant: PreviewGrant,
  signature: string | null | undefined,
  secret: string | null | undefined,
  now: number = Date.now(),
): PreviewVerdict {
  if (!secret || !signature || !Number.isSafeInteger(grant.expiresAt)) return 'invalid';
  const expected = Buffer.from(signPreview(grant, secret), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Math.floor(now / 1000) > grant.expiresAt ? 'expired' : 'valid';
}
