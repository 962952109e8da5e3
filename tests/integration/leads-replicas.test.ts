// Two CMS processes on one Postgres database, both running the outbox worker, race for the same pending mails:
// each request's mails arrive exactly once (the conditional-UPDATE claim, cms/src/leads/outbox-store.ts).
// The confirmation's limits hold across them too: one per mailbox a day, LEADS_CONFIRM_PER_HOUR in all (the
// slot is taken under a Postgres advisory lock). Postgres only (TEST_DATABASE_URL, as .ci/run sets it); SMTP is
// down while the requests come in, so both workers find every request due at once when it is back.
// Each test counts the mail once every request is `sent`; a duplicate still on its way then (a second claim's
// send) is caught by the last test, which waits until each replica's worker has mailed a later request (a worker
// sends one request at a time: tests/support/outbox-events.ts workersLookedAgain) and counts every request's
// mail again. No sleeps.
// The replicas are the production pair's (tests/support/pair.ts: its short LEADS_* timings and SMTP port, where
// this file runs its mail catcher while it holds the pair's lane).
// @test-lane: pair
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import type { MailCatcher } from '../../scripts/stack/mail-catcher.ts';
import type { TestCms } from '../support/cms.ts';
import { isMarker, quietOutbox, workersLookedAgain } from '../support/outbox-events.ts';
import { freshClient, PAIR_LIMITS, storedRequests, usePair, type Pair } from '../support/pair.ts';
import { startMailCatcher } from '../support/smtp.ts';

const REQUESTS = 12;
/** LEADS_CONFIRM_PER_HOUR: the first test's 12 confirmations, then 4 more to share out in the second. */
const CONFIRM_PER_HOUR = PAIR_LIMITS.confirmPerHour;
/** What a worker logs when sending a request's mails failed (SMTP down). */
const FAILED_ATTEMPT = /Consultation mails: attempt \d+ for request \S+ failed/;

type Listed = { name: string; notificationStatus: string };

/** A request to `url`'s public route, from a client of its own (the pair's rate limit is low, behind one proxy). */
const postRequest = (url: string, data: { name: string; email: string }) =>
  fetch(`${url}/api/consultation-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshClient() },
    body: JSON.stringify({ data: { ...data, consent: true } }),
  });

describe.skipIf(!process.env.TEST_DATABASE_URL)('consultation mails with two CMS replicas on one Postgres', () => {
  let catcher: MailCatcher;
  let pair: Pair;
  let first: TestCms;
  let second: TestCms;
  /** Each replica's output since this file began (the pair's logs hold the other files' too). */
  let marks: number[] = [];
  const outputOf = (replica: TestCms, index: number) => replica.output.slice(marks[index]);
  /** Every request the tests sent, with its address: each must be mailed to the agency exactly once. */
  const sent: Array<{ name: string; email: string }> = [];
  const agencyMails = (name: string) => catcher.list().filter((m) => m.Subject === `Consultation request from ${name}`);
  const confirmations = () => catcher.list().filter((m) => m.Subject === 'We received your consultation request');

  /** Waits until the worker that finished each of these requests wrote `sent` (it does so after its last mail). */
  async function untilSent(names: string[]): Promise<Listed[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const results = (await storedRequests<Listed>(first)).filter((e) => names.includes(e.name));
      if (results.length === names.length && results.every((e) => e.notificationStatus === 'sent')) return results;
      if (Date.now() > deadline) throw new Error(`Not every request was sent within 30 s: ${JSON.stringify(results)}.`);
      await sleep(200);
    }
  }

  beforeAll(async () => {
    pair = await usePair();
    [first, second] = pair.replicas as [TestCms, TestCms];
    expect(pair.limits.confirmPerHour).toBe(CONFIRM_PER_HOUR);
    // Other files' requests given up, the hour's confirmations free: then the pair's mail server is this file's.
    await quietOutbox(pair);
    marks = pair.replicas.map((replica) => replica.output.length);
    catcher = await startMailCatcher(pair.info.smtpPort);
  });
  afterAll(async () => {
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
        const response = await postRequest(url, { name, email: `replica${i}@example.com` });
        expect(response.status).toBe(201);
      }
      // Both workers claim requests and fail while SMTP is down: wait until each has said so.
      const deadline = Date.now() + 30_000;
      while (![outputOf(first, 0), outputOf(second, 1)].every((output) => FAILED_ATTEMPT.test(output.join('\n')))) {
        if (Date.now() > deadline)
          throw new Error(`Not both replicas tried and failed within 30 s:\n${outputOf(second, 1).slice(-20).join('\n')}`);
        await sleep(100);
      }
    } finally {
      await catcher.startSmtp();
    }
    await catcher.waitFor((messages) => messages.length >= REQUESTS * 2, 30_000);
    await untilSent(names);
    const states = (await storedRequests<Listed>(first)).filter((e) => names.includes(e.name)).map((entry) => entry.notificationStatus);
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
    for (const [index, replica] of [first, second].entries()) {
      // Said once, when its worker started (before this file); its failures are this file's.
      expect(replica.output.join('\n')).toContain('Consultation mails: to agency@example.com');
      expect(outputOf(replica, index).join('\n')).toMatch(FAILED_ATTEMPT);
    }
    const sentBy = (output: string[]) => output.filter((line) => line.includes('Consultation mails: sent for request')).length;
    console.log(`Requests sent by replica 1: ${sentBy(outputOf(first, 0))}, by replica 2: ${sentBy(outputOf(second, 1))}.`);
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
        const response = await postRequest(i % 2 === 0 ? first.url : second.url, r);
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

  it('has mailed every request exactly once when both replicas have mailed a later one (nothing was still on its way)', async () => {
    expect(sent).toHaveLength(REQUESTS * 2);
    // Each worker sends one request at a time, oldest first: once each has mailed a request made now, whatever
    // either was still sending has arrived, and nothing older is due: the counts are final.
    await workersLookedAgain(pair, catcher, 'Replicas');
    for (const r of sent) expect(agencyMails(r.name), r.name).toHaveLength(1);
    for (let i = 0; i < REQUESTS; i++) {
      expect(
        catcher.list().filter((m) => m.Envelope.To.includes(`replica${i}@example.com`)),
        `replica${i}`,
      ).toHaveLength(1);
    }
    expect(confirmations()).toHaveLength(CONFIRM_PER_HOUR);
    // Besides the markers' own mails (the hourly cap was reached before them: none confirmed).
    expect(catcher.list().filter((m) => !isMarker('Replicas', m.Subject))).toHaveLength(sent.length + CONFIRM_PER_HOUR);
  });
});
