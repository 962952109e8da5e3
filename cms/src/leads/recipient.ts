// One mailbox, one key. The limits on consultation mail (at most one confirmation per recipient a day, the
// form's budget per recipient address) must not be dodged by spelling the same mailbox another way:
// `Ada@Example.com`, `ada+1@example.com`, `a.d.a@gmail.com` all reach ada@example.com's or ada@gmail.com's inbox.
// Pure: the outbox (outbox-store.ts) and the form's rate limit (api/consultation-request/middlewares) use it.
import { createHash } from 'node:crypto';

/** Providers that ignore dots in the local part (and their alias domains), as `domain → canonical domain`. */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The mailbox an address reaches, as one string: lower case, without a `+tag` (sub-addressing, which most
 * providers deliver to the same inbox), without a trailing dot on the domain; Gmail's local part without dots.
 */
export function recipientKey(address: string): string {
  const text = address.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at < 1 || at === text.length - 1) return text;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1).replace(/\.+$/, '');
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const dotless = DOTLESS_DOMAINS[domain];
  if (dotless) {
    domain = dotless;
    local = local.replace(/\./g, '');
  }
  return `${local}@${domain}`;
}

/** The recipient's key as the rate limit stores it: a hash, so its table holds no e-mail addresses. */
export function hashedRecipientKey(address: string): string {
  return createHash('sha256').update(recipientKey(address)).digest('base64url').slice(0, 32);
}
