// Events the leads files wait on, on the production pair (./pair.ts), instead of sleeping:
// - `quietOutbox`: before a file runs its mail server on the pair's SMTP port, the requests other files left
//   (their mails failed: no server was listening) must be given up, not delivered into this file's mailbox; and
//   the hour's confirmations are this file's alone (LEADS_CONFIRM_PER_HOUR counts the requests' own times).
// - `workersLookedAgain`: the point after which "nothing more was sent" holds, with two outbox workers.
import { expect } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import type { MailCatcher } from '../../scripts/stack/mail-catcher.ts';
import type { TestCms } from './cms.ts';
import { freshClient, type Pair } from './pair.ts';

const LIST = '/content-manager/collection-types/api::consultation-request.consultation-request';

type Listed = { documentId: string; name: string };

async function list(cms: TestCms, filters: string, pageSize = 100): Promise<{ results: Listed[]; total: number }> {
  const body = await cms.admin('GET', `${LIST}?page=1&pageSize=${pageSize}&${filters}`);
  return { results: body.results as Listed[], total: (body.pagination as { total: number }).total };
}

/**
 * Waits until no request's mail is pending (the pair gives up on them after LEADS_GIVE_UP_MS), then deletes the
 * requests that took a confirmation slot of the last hour (only the leads files, with a mail server, ever take
 * one): the file starts with the whole hourly cap. Call it before starting the mail catcher.
 */
export async function quietOutbox(pair: Pair): Promise<void> {
  const deadline = Date.now() + pair.limits.giveUpMs + 30_000;
  for (;;) {
    const { total, results } = await list(pair.cms, 'filters[notificationStatus][$eq]=pending', 5);
    if (total === 0) break;
    if (Date.now() > deadline)
      throw new Error(
        `${total} consultation requests still have mail pending on the pair ${pair.limits.giveUpMs} ms (LEADS_GIVE_UP_MS) and more ` +
          `after they were made, e.g. ${results.map((r) => r.name).join(', ')}: is a mail server listening on its SMTP port?`,
      );
    await sleep(250);
  }
  const since = new Date(Date.now() - 61 * 60_000).toISOString();
  for (;;) {
    const { results } = await list(pair.cms, `filters[confirmationSentAt][$gt]=${encodeURIComponent(since)}`);
    if (results.length === 0) return;
    for (const request of results) await pair.cms.admin('DELETE', `${LIST}/${request.documentId}`);
  }
}

/** How many markers a file has sent (their names and mailbox are the file's own: `label`). */
const markers = new Map<string, number>();

/**
 * Resolves once every running replica's outbox worker has mailed a request made now: the event after which
 * "nothing more was sent" holds. A worker sends one request at a time, oldest first, so by the time it has sent a
 * request made after some event, it has finished whatever it was sending, and it looked at the outbox since: a
 * request it would mail twice, mail after giving up, or mail again after an editor's save would have gone before.
 * With two replicas that holds only once each has mailed one: each round posts a marker to every replica (a new
 * request wakes its replica's worker at once) and reads which replica sent it in their logs, until every replica
 * has. The markers go to one mailbox of the file's (`label`), so they take one confirmation a day between them.
 */
export async function workersLookedAgain(pair: Pair, catcher: MailCatcher, label: string): Promise<void> {
  const running = pair.replicas.filter((_, index) => pair.info.replicas[index]!.running);
  const looked = new Set<TestCms>();
  for (let round = 1; looked.size < running.length; round++) {
    if (round > 6)
      throw new Error(
        `After ${round - 1} rounds of markers, only ${looked.size} of the ${running.length} replicas' outbox workers had mailed one.`,
      );
    const names = await Promise.all(
      running.map(async (replica) => {
        const count = (markers.get(label) ?? 0) + 1;
        markers.set(label, count);
        const name = `${label} Marker ${count}`;
        const response = await fetch(`${replica.url}/api/consultation-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': freshClient() },
          body: JSON.stringify({ data: { name, email: `${label.toLowerCase()}.marker+${count}@example.com`, consent: true } }),
        });
        expect(response.status, `the marker ${name}: ${await response.text()}`).toBe(201);
        return name;
      }),
    );
    const subject = (name: string) => `Consultation request from ${name}`;
    await catcher.waitFor((messages) => names.every((name) => messages.some((m) => m.Subject === subject(name))), 20_000);
    for (const name of names) {
      const { results } = await list(pair.cms, `filters[name][$eq]=${encodeURIComponent(name)}`, 1);
      const line = `sent for request ${results[0]!.documentId} `;
      // Written just after the request's `sent`, which comes after its mails: wait for it.
      const deadline = Date.now() + 10_000;
      let sentBy: TestCms | undefined;
      while (!(sentBy = running.find((replica) => replica.output.some((text) => text.includes(line))))) {
        if (Date.now() > deadline) throw new Error(`No replica logged "${line.trim()}" within 10 s of its mail.`);
        await sleep(50);
      }
      looked.add(sentBy);
    }
  }
}

/** Whether a mail is one of the markers (`label`'s): for counts of everything a file sent. */
export const isMarker = (label: string, subject: string) => subject.startsWith(`Consultation request from ${label} Marker `);
