// The outbox worker: in every CMS process, it sends the consultation mails that are due. It looks every
// LEADS_POLL_MS, and at once when a request is created here. Per request: claim it (outbox-store.ts), send the
// agency's mail, writing its send time as soon as it is sent, then the reader's confirmation (LEADS_CONFIRM),
// whose time is written as its slot is taken, just before it is sent (given back if it fails); then `sent`, or a
// retry after backoff (backoff.ts) with the error, or `failed` after LEADS_GIVE_UP_MS.
// The agency's mail always goes; the confirmation only when its slot is free (one per mailbox a day, at most
// LEADS_CONFIRM_PER_HOUR in an hour): otherwise it is left out, logged, and the request is `sent` all the same.
// Everything is in the database, so a restart picks up where the last process stopped.
import type { Core } from '@strapi/strapi';
import { afterFailure, describeDuration, type RetryTimings } from './backoff';
import { OUTBOX } from './fields';
import { agencyMail, confirmationMail, type Mail } from './mails';
import { OutboxStore, type ClaimedRequest } from './outbox-store';

export type WorkerOptions = {
  store: OutboxStore;
  /** Sends one mail; throws with the server's answer when it is not accepted. */
  send: (mail: Mail) => Promise<void>;
  agencyTo: string;
  /** Confirmations to readers, and at most how many in an hour; null: none. */
  confirm: { perHour: number } | null;
  cmsUrl: string;
  /** The site the form is on, named in the confirmation. */
  siteUrl: string;
  pollMs: number;
  leaseMs: number;
  retry: RetryTimings;
  log: Pick<Core.Strapi['log'], 'info' | 'warn' | 'error'>;
};

const BATCH = 20;

/** What an SMTP failure says, for the admin: nodemailer's message carries the server's reply (e.g. 550 …). */
function describeSendError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 1000) || 'Unknown error';
}

export class OutboxWorker {
  private readonly options: WorkerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(options: WorkerOptions) {
    this.options = options;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for due mail now (a request was just created). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops looking; resolves when the pass in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.sendDue();
        } catch (error) {
          // The database was unreachable, most likely: nothing was lost, the next pass tries again.
          this.options.log.error(`Consultation mails: the outbox could not be read: ${describeSendError(error)}`);
        }
      } while (this.again && !this.stopped);
    })();
    await this.running;
    this.running = undefined;
    if (!this.stopped) this.schedule(this.options.pollMs);
  }

  private async sendDue(): Promise<void> {
    const { store } = this.options;
    for (;;) {
      const ids = await store.due(new Date(), BATCH);
      let claimed = 0;
      for (const id of ids) {
        if (this.stopped) return;
        const claim = await store.claim(id, new Date(), this.options.leaseMs);
        if (!claim) continue; // Another CMS process has it.
        claimed++;
        await this.deliver(claim);
      }
      if (ids.length < BATCH || claimed === 0) return;
    }
  }

  private async deliver(claim: ClaimedRequest): Promise<void> {
    const { store, log } = this.options;
    const attempts = claim.attempts + 1;
    try {
      if (!claim.agencySent) {
        await this.options.send(agencyMail(claim, this.options.agencyTo, this.options.cmsUrl));
        if (!(await store.write(claim, { [OUTBOX.sentAt]: new Date() }))) return this.lostLease(claim);
      }
      if (this.options.confirm && !claim.confirmationSent) {
        const slot = await store.reserveConfirmation(claim, new Date(), this.options.confirm.perHour);
        if (slot === 'lost-lease') return this.lostLease(claim);
        if (slot === 'reserved') {
          try {
            await this.options.send(confirmationMail(claim.email, this.options.siteUrl));
          } catch (error) {
            await store.releaseConfirmation(claim);
            throw new Error(`The agency was notified, but the confirmation to the reader was not sent: ${describeSendError(error)}`, {
              cause: error,
            });
          }
        } else {
          log.info(
            `Consultation mails: no confirmation for request ${claim.documentId}: ${
              slot === 'recipient-had-one'
                ? 'its address got one in the last 24 hours'
                : `${this.options.confirm.perHour} went out in the last hour (LEADS_CONFIRM_PER_HOUR)`
            }. The agency's mail went.`,
          );
        }
      }
      await store.finish(claim, {
        [OUTBOX.status]: 'sent',
        [OUTBOX.attempts]: attempts,
        [OUTBOX.error]: null,
        [OUTBOX.nextAttemptAt]: null,
      });
      log.info(`Consultation mails: sent for request ${claim.documentId} (attempt ${attempts}).`);
    } catch (error) {
      const reason = describeSendError(error);
      const now = new Date();
      const next = afterFailure(attempts, claim.createdAt, now, this.options.retry);
      if (next.kind === 'give-up') {
        const over = describeDuration(this.options.retry.giveUpMs);
        await store.finish(claim, {
          [OUTBOX.status]: 'failed',
          [OUTBOX.attempts]: attempts,
          [OUTBOX.error]: `Gave up after ${attempts} attempts over ${over}. Last error: ${reason}`.slice(0, 1000),
          [OUTBOX.nextAttemptAt]: null,
        });
        log.error(`Consultation mails: gave up on request ${claim.documentId} after ${attempts} attempts: ${reason}`);
      } else {
        await store.finish(claim, { [OUTBOX.attempts]: attempts, [OUTBOX.error]: reason, [OUTBOX.nextAttemptAt]: next.at });
        log.warn(
          `Consultation mails: attempt ${attempts} for request ${claim.documentId} failed (${reason}); next try at ${next.at.toISOString()}.`,
        );
      }
    }
  }

  private lostLease(claim: ClaimedRequest): void {
    this.options.log.warn(
      `Consultation mails: request ${claim.documentId}'s claim expired while sending (LEADS_LEASE_MS is too short for this SMTP server?); another process finishes it.`,
    );
  }
}
