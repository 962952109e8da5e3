// Two CMS processes on one Postgres database, both running the outbox worker, race for the same pending mails:
// each request's mails arrive exactly once (the conditional-UPDATE claim, cms/src/leads/outbox-store.ts).
// The confirmation's limits hold across them too: one per mailbox a day, LEADS_CONFIRM_PER_HOUR in all (the
// slot is taken under a Postgres advisory lock). Postgres only (TEST_DATABASE_URL, as .ci/run sets it); SMTP is
// down while the requests come in, so both workers find every request due at once when it is back.
// Each test counts the mail once every request is `sent`; a duplicate still on its way then (a second claim's
// send) is caught by the last test, which stops both replicas (a stop lets the send in progress finish, then
// the worker stops: cms/src/leads/outbox.ts stopOutbox) and counts every request's mail again. No sleeps.
// @test-lane: own
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import type { MailCatcher } from '../../scripts/stack/mail-catcher.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { TestCms } from '../support/cms.ts';
import { smtpEnv, startMailCatcher } from '../support/smtp.ts';

const REQUESTS = 12;
/** LEADS_CONFIRM_PER_HOUR: the first test's 12 confirmations, then 4 more to share out in the second. */
const CONFIRM_PER_HOUR = 16;
/** What a worker logs when sending a request's mails failed (SMTP down). */
const FAILED_ATTEMPT = /Consultation mails: attempt \d+ for request \S+ failed/;
const LIST = '/content-manager/collection-types/api::consultation-request.consultation-request?page=1&pageSize=100';

type Listed = { name: string; notificationStatus: string };

describe.skipIf(!process.env.TEST_DATABASE_URL)('consultation mails with two CMS replicas on one Postgres', () => {
  let catcher: MailCatcher;
  let first: TestCms;
  let second: RunningCms;
  const secondOutput: string[] = [];
  /** Every request the tests sent, with its address: each must be mailed to the agency exactly once. */
  const sent: Array<{ name: string; email: string }> = [];
  const agencyMails = (name: string) => catcher.list().filter((m) => m.Subject === `Consultation request from ${name}`);
  const confirmations = () => catcher.list().filter((m) => m.Subject === 'We received your consultation request');

  /** Waits until the worker that finished each of these requests wrote `sent` (it does so after its last mail). */
  async function untilSent(names: string[]): Promise<Listed[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const results = ((await first.admin('GET', LIST)).results as Listed[]).filter((e) => names.includes(e.name));
      if (results.length === names.length && results.every((e) => e.notificationStatus === 'sent')) return results;
      if (Date.now() > deadline) throw new Error(`Not every request was sent within 30 s: ${JSON.stringify(results)}.`);
      await sleep(200);
    }
  }

  beforeAll(async () => {
    catcher = await startMailCatcher();
    first = await TestCms.boot({
      database: 'postgres',
      env: {
        ...smtpEnv(catcher),
        LEADS_EMAIL_TO: 'agency@example.com',
        LEADS_CONFIRM: 'true',
        LEADS_CONFIRM_PER_HOUR: String(CONFIRM_PER_HOUR),
        CONSULTATION_RATE_LIMIT: '1000',
        CONSULTATION_RATE_LIMIT_EMAIL: '1000',
        LEADS_RETRY_BASE_MS: '200',
        LEADS_RETRY_MAX_MS: '400',
        LEADS_POLL_MS: '100',
        LEADS_LEASE_MS: '16000',
      },
    });
    // The second replica: the same database, schema and secrets, its own port.
    second = await startCms({ port: await freePort(), env: first.env, onLine: (line) => secondOutput.push(line) });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.destroy();
    await catcher?.stop();
  });

  it('sends each mail exactly once while both replicas retry the same requests', async () => {
    await catcher.stopSmtp();
    const names: string[] = [];
    try {
      for (let i = 0; i < REQUESTS; i++) {
        const name = `Replica Reader ${i}`;
        names.push(name);
        sent.push({ name, email: `replica${i}@example.com` });
        // Half the requests reach each replica.
        const url = i % 2 === 0 ? first.url : second.url;
        const response = await fetch(`${url}/api/consultation-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data: { name, email: `replica${i}@example.com`, consent: true } }),
        });
        expect(response.status).toBe(201);
      }
      // Both workers claim requests and fail while SMTP is down: wait until each has said so.
      const deadline = Date.now() + 30_000;
      while (![first.output, secondOutput].every((output) => FAILED_ATTEMPT.test(output.join('\n')))) {
        if (Date.now() > deadline)
          throw new Error(`Not both replicas tried and failed within 30 s:\n${secondOutput.slice(-20).join('\n')}`);
        await sleep(100);
      }
    } finally {
      await catcher.startSmtp();
    }
    await catcher.waitFor((messages) => messages.length >= REQUESTS * 2, 30_000);
    await untilSent(names);
    const list = await first.admin('GET', LIST);
    const states = (list.results as Listed[]).map((entry) => entry.notificationStatus);
    expect(states).toEqual(Array(REQUESTS).fill('sent'));
    // Every mail of every request has been sent by now (`sent` is written after them); a late duplicate is the
    // last test's to catch.
    for (let i = 0; i < REQUESTS; i++) {
      const confirmation = catcher.list().filter((m) => m.Envelope.To.includes(`replica${i}@example.com`));
      expect(agencyMails(names[i]!), names[i]).toHaveLength(1);
      expect(confirmation, names[i]).toHaveLength(1);
    }
    expect(catcher.list()).toHaveLength(REQUESTS * 2);
    // Both replicas really raced: each ran a worker that claimed requests (and failed) while SMTP was down.
    for (const output of [first.output, secondOutput]) {
      expect(output.join('\n')).toContain('Consultation mails: to agency@example.com');
      expect(output.join('\n')).toMatch(FAILED_ATTEMPT);
    }
    const sentBy = (output: string[]) => output.filter((line) => line.includes('Consultation mails: sent for request')).length;
    console.log(`Requests sent by replica 1: ${sentBy(first.output)}, by replica 2: ${sentBy(secondOutput)}.`);
  });

  it('holds the confirmation limits across both replicas: one per mailbox, and the hourly cap in all', async () => {
    const before = confirmations().length;
    expect(before).toBe(REQUESTS);
    // Six requests for one mailbox spelled six ways and six for six other mailboxes, to both replicas, mailed
    // when SMTP is back: both workers take slots at the same moment.
    const same = Array.from({ length: 6 }, (_, i) => ({ name: `Same Mailbox ${i}`, email: `Same.Mailbox+${i}@example.com` }));
    const others = Array.from({ length: 6 }, (_, i) => ({ name: `Other Mailbox ${i}`, email: `other${i}@example.com` }));
    await catcher.stopSmtp();
    try {
      for (const [i, r] of [...same, ...others].entries()) {
        const response = await fetch(`${i % 2 === 0 ? first.url : second.url}/api/consultation-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data: { ...r, consent: true } }),
        });
        expect(response.status).toBe(201);
      }
    } finally {
      await catcher.startSmtp();
    }
    sent.push(...same, ...others);
    const names = [...same, ...others].map((r) => r.name);
    await untilSent(names);
    for (const name of names) expect(agencyMails(name), name).toHaveLength(1);
    const to = (r: { email: string }) => confirmations().filter((m) => m.Envelope.To.includes(r.email)).length;
    const sameMailbox = same.reduce((sum, r) => sum + to(r), 0);
    expect(sameMailbox).toBeLessThanOrEqual(1);
    expect(confirmations()).toHaveLength(CONFIRM_PER_HOUR);
    console.log(
      `Confirmations: ${sameMailbox} to the shared mailbox, ${CONFIRM_PER_HOUR - before - sameMailbox} to the 6 others (cap ${CONFIRM_PER_HOUR}).`,
    );
  });

  it('has mailed every request exactly once when both replicas have stopped (nothing was still on its way)', async () => {
    expect(sent).toHaveLength(REQUESTS * 2);
    // A stop waits for the send in progress, so after both nothing more can arrive: the counts are final.
    await second.stop();
    await first.stop();
    for (const r of sent) expect(agencyMails(r.name), r.name).toHaveLength(1);
    for (let i = 0; i < REQUESTS; i++) {
      expect(
        catcher.list().filter((m) => m.Envelope.To.includes(`replica${i}@example.com`)),
        `replica${i}`,
      ).toHaveLength(1);
    }
    expect(confirmations()).toHaveLength(CONFIRM_PER_HOUR);
    expect(catcher.list()).toHaveLength(sent.length + CONFIRM_PER_HOUR);
  });
});
