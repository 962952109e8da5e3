// Consultation mails through the outbox, against a real Strapi and a real SMTP server (the local mail catcher,
// tests/support/smtp.ts): the agency's mail with every field and the admin link, the reader's confirmation;
// SMTP down at submit (stored, pending, delivered once it is back); SMTP answering 550 (the reason recorded,
// retried); giving up (failed, with the last error); a restart with mails pending (each delivered exactly
// once); editors seeing, not changing, the outbox state; and the confirmation rationed: one per mailbox a day
// however its address is spelled, at most LEADS_CONFIRM_PER_HOUR an hour, the agency's mail going every time.
// "Nothing more was sent" is read after every outbox worker has mailed a later request (workersLookedAgain,
// tests/support/outbox-events.ts), never after a sleep.
// On the production pair (tests/support/pair.ts: short LEADS_* timings, its SMTP port, where this file runs its mail
// catcher while it holds the pair's lane; two replicas on Postgres, each running the outbox worker). The restart
// is one replica's, through the fixture broker; the pair's other replica, if any, runs on as in production.
// @test-lane: pair
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import type { MailCatcher } from '../../scripts/stack/mail-catcher.ts';
import type { TestCms } from '../support/cms.ts';
import { quietOutbox, workersLookedAgain } from '../support/outbox-events.ts';
import { freshClient, PAIR_LIMITS, PAIR_SITE, usePair, type Pair } from '../support/pair.ts';
import { mailbox, startMailCatcher } from '../support/smtp.ts';

const UID = 'api::consultation-request.consultation-request';
const LIST = `/content-manager/collection-types/${UID}`;
const AGENCY = 'agency@example.com';
const CONFIRMATION = 'We received your consultation request';
/** The site the HTML form posts from (the CMS's SITE_URL). */
const SITE = PAIR_SITE;
/** LEADS_GIVE_UP_MS, and LEADS_CONFIRM_PER_HOUR: above what the tests before the cap's own send (about 11), so only that test reaches it. */
const { giveUpMs: GIVE_UP_MS, confirmPerHour: CONFIRM_PER_HOUR } = PAIR_LIMITS;

type Outboxed = {
  id: number;
  documentId: string;
  name: string;
  email: string;
  notificationStatus: 'pending' | 'sent' | 'failed' | null;
  notificationAttempts: number;
  notificationError: string | null;
  notificationNextAttemptAt: string | null;
  notificationSentAt: string | null;
  confirmationSentAt: string | null;
};

const request = (name: string, email: string) => ({
  name,
  email,
  phone: '+44 20 7946 0000',
  preferredTime: 'Weekday mornings',
  message: 'We are rebranding next spring.\nBudget is agreed.',
  consent: true,
});

describe('consultation mails through the outbox', () => {
  let catcher: MailCatcher;
  let pair: Pair;
  let cms: TestCms;
  /** What the pair's replicas printed since this file began. */
  let output: () => string[];
  let serial = 0;

  /** A fresh reader per test, so mails are told apart by name and address. */
  function reader() {
    serial++;
    return { name: `Reader ${serial} Lovelace`, email: `reader${serial}@example.com` };
  }

  async function submit(name: string, email: string): Promise<void> {
    const response = await cms.rest('/api/consultation-requests', {
      method: 'POST',
      // Each request from a client of its own (the pair's rate limit is low, behind one trusted proxy).
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshClient() },
      body: JSON.stringify({ data: request(name, email) }),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }

  async function stored(name: string): Promise<Outboxed> {
    const list = await cms.admin('GET', `${LIST}?page=1&pageSize=10&filters[name][$eq]=${encodeURIComponent(name)}`);
    const found = (list.results as Outboxed[]).find((entry) => entry.name === name);
    if (!found) throw new Error(`No stored request from ${name}.`);
    return found;
  }

  async function until(name: string, check: (entry: Outboxed) => boolean, what: string, timeoutMs = 20_000): Promise<Outboxed> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const entry = await stored(name);
      if (check(entry)) return entry;
      if (Date.now() > deadline) throw new Error(`${name}'s request never got ${what}; it is ${JSON.stringify(entry)}.`);
      await sleep(150);
    }
  }

  const agencyMails = (name: string) => catcher.list().filter((m) => m.Subject === `Consultation request from ${name}`);

  /** Resolves once every outbox worker has mailed a request made now (tests/support/outbox-events.ts). */
  const workerLookedAgain = () => workersLookedAgain(pair, catcher, 'Outbox');
  const confirmations = (email: string) => catcher.list().filter((m) => m.Envelope.To.includes(email));
  const allConfirmations = () => catcher.list().filter((m) => m.Subject === CONFIRMATION);

  beforeAll(async () => {
    pair = await usePair();
    cms = pair.cms;
    expect(pair.limits).toMatchObject({ giveUpMs: GIVE_UP_MS, confirmPerHour: CONFIRM_PER_HOUR });
    // Other files' requests given up, the hour's confirmations free: then the pair's mail server is this file's.
    await quietOutbox(pair);
    output = pair.outputSince();
    catcher = await startMailCatcher(pair.info.smtpPort);
  });
  afterAll(async () => {
    await catcher?.stop();
  });

  it('mails the agency every field and a link to the request in the admin, and confirms to the reader', async () => {
    const { name, email } = reader();
    await submit(name, email);

    // Read as a test reads Mailpit: over the HTTP API.
    const box = mailbox(catcher.httpUrl);
    const agency = await box.waitFor((m) => m.Subject === `Consultation request from ${name}`);
    const entry = await until(name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    expect(agency.To.map((to) => to.Address)).toEqual([AGENCY]);
    expect(agency.From).toEqual({ Name: 'Agency website', Address: 'no-reply@agency.example' });
    expect(agency.ReplyTo.map((to) => to.Address)).toEqual([email]);
    for (const value of Object.values(request(name, email)).filter((v) => typeof v === 'string')) expect(agency.Text).toContain(value);
    expect(agency.Text).toContain('Consent to be contacted: yes');
    expect(agency.Text).toContain(`${cms.url}/admin/content-manager/collection-types/${UID}/${entry.documentId}`);
    expect(agency.HTML).toContain(`href="${cms.url}/admin/content-manager/collection-types/${UID}/${entry.documentId}"`);

    const confirmation = await box.waitFor((m) => m.To.some((to) => to.Address === email));
    expect(confirmation.Subject).toBe(CONFIRMATION);
    // Nothing the sender typed: whoever fills the form chooses the address, so it must carry none of their words.
    expect(confirmation.Text).toMatch(/^Hello,/);
    expect(confirmation.Text).toContain(`Thank you for your consultation request on ${SITE}.`);
    for (const typed of [name, 'Reader', 'Lovelace', ...Object.values(request(name, email)).filter((v) => typeof v === 'string')]) {
      expect(`${confirmation.Subject}\n${confirmation.Text}\n${confirmation.HTML}`).not.toContain(typed);
    }

    expect(entry).toMatchObject({ notificationStatus: 'sent', notificationAttempts: 1, notificationError: null });
    expect(entry.notificationSentAt).not.toBeNull();
    expect(entry.confirmationSentAt).not.toBeNull();
    await workerLookedAgain();
    expect(agencyMails(name)).toHaveLength(1);
    expect(confirmations(email)).toHaveLength(1);
  });

  it('mails a request sent with the HTML form (no JavaScript) the same way: the outbox is hooked below every route', async () => {
    const { name, email } = reader();
    const response = await fetch(`${cms.url}/api/consultation-requests/form`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SITE, 'x-forwarded-for': freshClient() },
      body: new URLSearchParams({ name, email, consent: 'true', website: '' }).toString(),
    });
    expect(response.status).toBe(303);
    await catcher.waitFor(() => agencyMails(name).length === 1 && confirmations(email).length === 1, 10_000);
    expect(await until(name, (e) => e.notificationStatus === 'sent', 'status "sent"')).toMatchObject({ notificationAttempts: 1 });
  });

  it('stores the request as pending while SMTP is down, and delivers it once SMTP is back', async () => {
    const { name, email } = reader();
    await catcher.stopSmtp();
    try {
      await submit(name, email);
      const waiting = await until(name, (e) => e.notificationAttempts >= 2, 'two failed attempts');
      expect(waiting.notificationStatus).toBe('pending');
      expect(waiting.notificationError).toMatch(/ECONNREFUSED/);
      expect(waiting.notificationNextAttemptAt).not.toBeNull();
      expect(agencyMails(name)).toHaveLength(0);
    } finally {
      await catcher.startSmtp();
    }
    await catcher.waitFor(() => agencyMails(name).length === 1 && confirmations(email).length === 1, 10_000);
    const entry = await until(name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    expect(entry.notificationError).toBeNull();
    expect(entry.notificationNextAttemptAt).toBeNull();
    await workerLookedAgain();
    expect(agencyMails(name)).toHaveLength(1);
    expect(confirmations(email)).toHaveLength(1);
  });

  it('records the SMTP server’s 550 answer and retries until the mail is accepted', async () => {
    const { name, email } = reader();
    catcher.refuseWith({ code: 550, message: 'Mailbox unavailable (test)' });
    try {
      await submit(name, email);
      const refused = await until(name, (e) => e.notificationAttempts >= 2, 'two refused attempts');
      expect(refused.notificationStatus).toBe('pending');
      expect(refused.notificationError).toMatch(/550.*Mailbox unavailable \(test\)/);
    } finally {
      catcher.refuseWith(null);
    }
    await catcher.waitFor(() => agencyMails(name).length === 1 && confirmations(email).length === 1, 10_000);
    const entry = await until(name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    expect(entry.notificationAttempts).toBeGreaterThanOrEqual(3);
    await workerLookedAgain();
    expect(agencyMails(name)).toHaveLength(1);
  });

  it('gives up after LEADS_GIVE_UP_MS: failed, with the attempts and the last error, and never sent later', async () => {
    const { name, email } = reader();
    catcher.refuseWith({ code: 550, message: 'Relay denied (test)' });
    let failed: Outboxed;
    try {
      await submit(name, email);
      failed = await until(name, (e) => e.notificationStatus === 'failed', 'status "failed"', GIVE_UP_MS + 15_000);
    } finally {
      catcher.refuseWith(null);
    }
    expect(failed.notificationError).toMatch(
      new RegExp(`^Gave up after \\d+ attempts over ${GIVE_UP_MS / 1000} s\\. Last error: .*550.*Relay denied \\(test\\)`),
    );
    expect(failed.notificationAttempts).toBeGreaterThanOrEqual(4);
    expect(failed.notificationNextAttemptAt).toBeNull();
    await workerLookedAgain();
    expect(agencyMails(name)).toHaveLength(0);
    expect((await stored(name)).notificationStatus).toBe('failed');
  });

  it('after a restart with mails pending, delivers each exactly once', async () => {
    const readers = [reader(), reader(), reader()];
    await catcher.stopSmtp();
    try {
      for (const r of readers) await submit(r.name, r.email);
      for (const r of readers) await until(r.name, (e) => e.notificationAttempts >= 1, 'a failed attempt');
      // The first replica goes away with the mails pending. On Postgres the other replica runs on and, SMTP back,
      // delivers them from the database; the restarted one must send none again (workerLookedAgain below waits
      // until its worker, too, has mailed a later request). On SQLite the restarted process delivers them.
      await pair.stop(0);
    } finally {
      await catcher.startSmtp();
    }
    await pair.start(0);
    await catcher.waitFor(() => readers.every((r) => agencyMails(r.name).length >= 1 && confirmations(r.email).length >= 1), 20_000);
    for (const r of readers) await until(r.name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    await workerLookedAgain();
    for (const r of readers) {
      expect(agencyMails(r.name), r.name).toHaveLength(1);
      expect(confirmations(r.email), r.email).toHaveLength(1);
    }
  });

  it('shows the e-mail state in the admin list, read-only, and an editor saving the request cannot change it', async () => {
    const config = await cms.admin('GET', `/content-manager/content-types/${UID}/configuration`);
    const contentType = (
      config.data as {
        contentType: {
          layouts: { list: string[]; edit: Array<Array<{ name: string }>> };
          metadatas: Record<string, { edit: { editable?: boolean } }>;
        };
      }
    ).contentType;
    expect(contentType.layouts.list).toContain('notificationStatus');
    expect(contentType.metadatas.notificationStatus!.edit.editable).toBe(false);
    expect(contentType.metadatas.notificationError!.edit.editable).toBe(false);
    expect(contentType.layouts.edit.flat().map((cell) => cell.name)).not.toContain('notificationLeaseToken');

    const { name } = reader();
    await submit(name, 'someone@example.com');
    const sent = await until(name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    await cms.admin('PUT', `${LIST}/${sent.documentId}`, {
      requestStatus: 'contacted',
      notificationStatus: 'pending',
      notificationAttempts: 0,
      notificationSentAt: null,
    });
    // Had the save made it pending again, the worker would mail it (again) before the later request.
    await workerLookedAgain();
    const after = await stored(name);
    expect(after).toMatchObject({ notificationStatus: 'sent', notificationAttempts: 1, notificationSentAt: sent.notificationSentAt });
    expect((after as Outboxed & { requestStatus: string }).requestStatus).toBe('contacted');
    expect(agencyMails(name)).toHaveLength(1);
  });

  it('confirms to a mailbox once a day: another request for it, however spelled, gets none, and the agency hears of both', async () => {
    const first = reader();
    await submit(first.name, first.email);
    await until(first.name, (e) => e.confirmationSentAt !== null && e.notificationStatus === 'sent', 'a confirmation');
    const before = allConfirmations().length;

    const again = { name: `${first.name} again`, email: first.email.replace(/^reader/, 'READER').replace('@', '+again@') };
    await submit(again.name, again.email);
    const entry = await until(again.name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    // Sent means the worker is done with it: the confirmation was left out, not delayed.
    expect(entry).toMatchObject({ confirmationSentAt: null, notificationError: null, notificationAttempts: 1 });
    expect(agencyMails(again.name)).toHaveLength(1);
    expect(allConfirmations()).toHaveLength(before);
    expect(output().join('\n')).toContain(
      `Consultation mails: no confirmation for request ${entry.documentId}: its address got one in the last 24 hours.`,
    );
  });

  it(`sends at most LEADS_CONFIRM_PER_HOUR (${CONFIRM_PER_HOUR}) confirmations an hour in all; beyond it, only the agency is mailed`, async () => {
    const left = CONFIRM_PER_HOUR - allConfirmations().length;
    expect(left, 'the tests before this one sent fewer confirmations than the cap').toBeGreaterThanOrEqual(0);
    const readers = Array.from({ length: left + 2 }, () => reader());
    for (const r of readers) {
      await submit(r.name, r.email);
      await until(r.name, (e) => e.notificationStatus === 'sent', 'status "sent"');
    }
    expect(allConfirmations()).toHaveLength(CONFIRM_PER_HOUR);
    const unconfirmed = readers.slice(left);
    for (const r of readers) expect(agencyMails(r.name), r.name).toHaveLength(1);
    for (const r of unconfirmed) {
      expect(confirmations(r.email), r.email).toHaveLength(0);
      expect((await stored(r.name)).confirmationSentAt).toBeNull();
    }
    expect(output().join('\n')).toContain(`${CONFIRM_PER_HOUR} went out in the last hour (LEADS_CONFIRM_PER_HOUR)`);
  });
});
