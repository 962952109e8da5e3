// The consultation mails' pure parts: the retry schedule (1 minute doubling to 1 hour, a last attempt at the
// give-up time, then give up), the mails' content (every value escaped in the HTML, no header injection; the
// reader's confirmation carrying nothing they typed), one key per mailbox however it is spelled, and the CMS's
// mail settings refusing what would fail later, with a message naming the variable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConsultationRequest } from '@agency/shared';
import type { SettingsDefinition, SettingsSpec } from '@agency/shared/server';

// The CMS is CommonJS (Strapi compiles it so): loaded by path, as tests/unit/configuration-docs.test.ts does.
const CMS = path.resolve(import.meta.dirname, '..', '..', 'cms', 'src');
// Their shapes, restated: the root type check does not take cms/ in.
type Mail = { to: string; subject: string; text: string; html: string; replyTo?: string };
type LeadRequest = Omit<ConsultationRequest, 'consent'> & { documentId: string; consent: boolean; createdAt: Date };
const { afterFailure } = (await import(path.join(CMS, 'leads', 'backoff.ts'))) as {
  afterFailure: (
    attempts: number,
    createdAt: Date,
    now: Date,
    timings: { baseMs: number; maxMs: number; giveUpMs: number },
  ) => { kind: 'retry'; at: Date } | { kind: 'give-up' };
};
const { agencyMail, confirmationMail } = (await import(path.join(CMS, 'leads', 'mails.ts'))) as {
  agencyMail: (request: LeadRequest, to: string, cmsUrl: string) => Mail;
  confirmationMail: (to: string, siteUrl: string) => Mail;
};
const { recipientKey, hashedRecipientKey } = (await import(path.join(CMS, 'leads', 'recipient.ts'))) as {
  recipientKey: (address: string) => string;
  hashedRecipientKey: (address: string) => string;
};
const { cmsSettings } = (await import(path.join(CMS, 'settings.ts'))) as { cmsSettings: SettingsDefinition<SettingsSpec> };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DEFAULTS = { baseMs: MINUTE, maxMs: HOUR, giveUpMs: 24 * HOUR };

describe('the retry schedule', () => {
  it('waits 1 minute, doubling up to 1 hour, until 24 hours after the request, then gives up', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    let now = created;
    const waits: number[] = [];
    for (let attempt = 1; attempt < 100; attempt++) {
      const next = afterFailure(attempt, created, now, DEFAULTS);
      if (next.kind === 'give-up') break;
      waits.push((next.at.getTime() - now.getTime()) / MINUTE);
      now = next.at;
    }
    expect(waits.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // The last attempt is exactly at the give-up time; the failure after it gives up.
    expect(now.getTime() - created.getTime()).toBe(24 * HOUR);
    expect(waits.length).toBeGreaterThan(20);
    expect(waits.length).toBeLessThan(30);
  });
});

describe('the mails', () => {
  const request = {
    documentId: 'abc123',
    name: 'Eve <script>alert(1)</script>\r\nBcc: victim@example.com',
    email: 'eve@example.com',
    phone: null,
    preferredTime: null,
    message: 'Line one\n<b>bold</b>',
    consent: true,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  };

  it('tells the agency every field, links the request in the admin, and escapes what the reader typed', () => {
    const mail = agencyMail(request, 'agency@example.com', 'https://cms.example.com');
    expect(mail.to).toBe('agency@example.com');
    expect(mail.replyTo).toBe('eve@example.com');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('Message: Line one\n<b>bold</b>');
    expect(mail.text).toContain('Phone: —');
    expect(mail.text).toContain(
      'https://cms.example.com/admin/content-manager/collection-types/api::consultation-request.consultation-request/abc123',
    );
    expect(mail.html).toContain('Eve &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Line one<br>&lt;b&gt;bold&lt;/b&gt;');
    expect(mail.html).not.toContain('<script>');
  });

  it('confirms to the reader without repeating anything typed into the form: not the name, not the message', () => {
    // A name with room for a link: were it repeated, anyone could have the agency's domain mail it to anyone.
    const spam = { ...request, name: 'Cheap pills at https://spam.example/buy', message: 'Visit https://spam.example' };
    const mail = confirmationMail(spam.email, 'https://www.agency.example');
    expect(mail.to).toBe('eve@example.com');
    expect(mail.replyTo).toBeUndefined();
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toMatch(/spam|pills|Visit|Eve|eve@/);
    }
    expect(mail.text).toMatch(/^Hello,\n/);
    expect(mail.text).toContain('Thank you for your consultation request on https://www.agency.example.');
    // Its only input besides the address is the site, which the operator set.
    expect(confirmationMail.length).toBe(2);
  });
});

describe('one key per mailbox', () => {
  it('sees through case, +tags, a trailing dot and Gmail’s dots', () => {
    for (const spelling of ['ada@example.com', 'Ada@Example.COM', ' ada+consult@example.com ', 'ada+a+b@example.com.'])
      expect(recipientKey(spelling), spelling).toBe('ada@example.com');
    for (const spelling of ['a.d.a@gmail.com', 'A.DA+x@googlemail.com', 'ada@gmail.com'])
      expect(recipientKey(spelling), spelling).toBe('ada@gmail.com');
    // Dots matter elsewhere; a different mailbox stays different.
    expect(recipientKey('a.da@example.com')).not.toBe(recipientKey('ada@example.com'));
    expect(recipientKey('grace@example.com')).not.toBe(recipientKey('ada@example.com'));
  });

  it('stores a hash, not the address, in the rate limit’s table', () => {
    const key = hashedRecipientKey('Ada+x@Example.com');
    expect(key).toBe(hashedRecipientKey('ada@example.com'));
    expect(key).toMatch(/^[\w-]{32}$/);
    expect(key).not.toContain('ada');
  });
});

describe('the CMS mail settings', () => {
  const secrets = Object.fromEntries(
    ['API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY'].map((name) => [
      name,
      `${name}-0123456789abcdef`,
    ]),
  );
  const base = { ...secrets, NODE_ENV: 'development', APP_KEYS: 'key-one-0123456789abcdef,key-two-0123456789abcdef' };

  it('has the issue’s defaults: 1 minute doubling to 1 hour, 24 hours; confirmations as NODE_ENV says, 20 an hour', () => {
    const values = cmsSettings.read(base) as Record<string, unknown>;
    expect(values).toMatchObject({
      LEADS_RETRY_BASE_MS: MINUTE,
      LEADS_RETRY_MAX_MS: HOUR,
      LEADS_GIVE_UP_MS: 24 * HOUR,
      LEADS_CONFIRM: null,
      LEADS_CONFIRM_PER_HOUR: 20,
      SMTP_HOST: null,
      LEADS_EMAIL_TO: null,
    });
  });

  it('names every bad mail setting at once, never showing the SMTP password', () => {
    const read = () =>
      cmsSettings.read({
        ...base,
        LEADS_EMAIL_TO: 'the agency',
        MAIL_FROM: 'Agency <not an address>',
        SMTP_PORT: 'smtp',
        SMTP_PASS: 'hunter2-password',
        LEADS_RETRY_BASE_MS: '5000',
        LEADS_RETRY_MAX_MS: '1000',
      });
    expect(read).toThrow(/LEADS_EMAIL_TO must be an e-mail address \(or several, comma-separated\), not "the agency"/);
    expect(read).toThrow(/MAIL_FROM must be an e-mail address, or a name and an address/);
    expect(read).toThrow(/SMTP_PORT must be a port number/);
    expect(read).toThrow(/SMTP_PASS is set but SMTP_USER is not/);
    expect(read).toThrow(/LEADS_RETRY_MAX_MS must not be smaller than LEADS_RETRY_BASE_MS/);
    expect(read).not.toThrow(/hunter2/);
  });
});
