// Signed preview links (src/server/preview-signature.ts): a signature opens exactly the grant it was made for,
// with the secret it was made with, until its expiry.
import { describe, expect, it } from 'vitest';
import { signPreview, verifyPreview, type PreviewGrant } from '../src/server/index.ts';

const SECRET = 'preview-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const grant: PreviewGrant = { type: 'api::article.article', documentId: 'abc123def456', status: 'draft', expiresAt: NOW / 1000 + 3600 };

describe('preview link signatures', () => {
  it('are URL-safe and deterministic, and verify for the same grant and secret', () => {
    const sig = signPreview(grant, SECRET);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signPreview({ ...grant }, SECRET)).toBe(sig);
    expect(verifyPreview(grant, sig, SECRET, NOW)).toBe('valid');
    expect(sig).not.toContain(SECRET);
  });

  it('refuse a grant with any field changed', () => {
    const sig = signPreview(grant, SECRET);
    const tampered: PreviewGrant[] = [
      { ...grant, type: 'api::consultation-cta.consultation-cta' },
      { ...grant, documentId: 'abc123def457' },
      { ...grant, documentId: '' },
      { ...grant, status: 'published' },
      { ...grant, expiresAt: grant.expiresAt + 1 },
      { ...grant, expiresAt: grant.expiresAt - 1 },
    ];
    for (const other of tampered) {
      expect(verifyPreview(other, sig, SECRET, NOW), JSON.stringify(other)).toBe('invalid');
      expect(signPreview(other, SECRET)).not.toBe(sig);
    }
  });

  it('keep fields apart: moving text from one field to the next changes the signature', () => {
    const a = signPreview({ ...grant, type: 'api::a', documentId: 'b' }, SECRET);
    expect(signPreview({ ...grant, type: 'api::', documentId: 'ab' }, SECRET)).not.toBe(a);
  });

  it('refuse a changed, truncated, extended or missing signature', () => {
    const sig = signPreview(grant, SECRET);
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    for (const bad of [
      flipped,
      sig.slice(0, -1),
      `${sig}A`,
      sig.toLowerCase() === sig ? sig.toUpperCase() : sig.toLowerCase(),
      '',
      null,
      undefined,
    ]) {
      expect(verifyPreview(grant, bad, SECRET, NOW)).toBe('invalid');
    }
  });

  it('refuse a signature made with another secret, and everything when no secret is configured', () => {
    const sig = signPreview(grant, SECRET);
    expect(verifyPreview(grant, sig, `${SECRET}x`, NOW)).toBe('invalid');
    expect(verifyPreview(grant, signPreview(grant, 'another-secret-0123456789'), SECRET, NOW)).toBe('invalid');
    for (const configured of ['', null, undefined]) expect(verifyPreview(grant, sig, configured, NOW)).toBe('invalid');
    expect(() => signPreview(grant, '')).toThrow();
  });

  it('are valid up to the expiry second inclusive, expired after', () => {
    const sig = signPreview(grant, SECRET);
    const at = (seconds: number) => verifyPreview(grant, sig, SECRET, seconds * 1000);
    expect(at(grant.expiresAt - 3600)).toBe('valid');
    expect(at(grant.expiresAt)).toBe('valid');
    expect(verifyPreview(grant, sig, SECRET, grant.expiresAt * 1000 + 999)).toBe('valid');
    expect(at(grant.expiresAt + 1)).toBe('expired');
    expect(at(grant.expiresAt + 86_400)).toBe('expired');
  });

  it('call an expired link with a bad signature invalid, not expired', () => {
    const sig = signPreview(grant, SECRET);
    expect(verifyPreview(grant, sig, 'another-secret-0123456789', (grant.expiresAt + 10) * 1000)).toBe('invalid');
    expect(verifyPreview({ ...grant, documentId: 'other' }, sig, SECRET, (grant.expiresAt + 10) * 1000)).toBe('invalid');
  });

  it('refuse an expiry that is not a whole number of seconds', () => {
    const sig = signPreview(grant, SECRET);
    for (const expiresAt of [Number.NaN, grant.expiresAt + 0.5, Number.POSITIVE_INFINITY]) {
      expect(verifyPreview({ ...grant, expiresAt }, sig, SECRET, NOW)).toBe('invalid');
      expect(() => signPreview({ ...grant, expiresAt }, SECRET)).toThrow();
    }
  });
});
