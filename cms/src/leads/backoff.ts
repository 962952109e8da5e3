// When the outbox tries a mail again: LEADS_RETRY_BASE_MS after the first failure (1 minute), doubling each time
// up to LEADS_RETRY_MAX_MS (1 hour), and never later than the give-up time LEADS_GIVE_UP_MS after the request
// (24 hours), when the last attempt happens; after that the notification is failed. Pure, for the worker.

export type RetryTimings = { baseMs: number; maxMs: number; giveUpMs: number };

export type AfterFailure = { kind: 'retry'; at: Date } | { kind: 'give-up' };

/** What happens after failed attempt number `attempts` (1 for the first) of a request created at `createdAt`. */
export function afterFailure(attempts: number, createdAt: Date, now: Date, timings: RetryTimings): AfterFailure {
  const deadline = createdAt.getTime() + timings.giveUpMs;
  if (now.getTime() >= deadline) return { kind: 'give-up' };
  const delay = Math.min(timings.maxMs, timings.baseMs * 2 ** Math.min(attempts - 1, 40));
  return { kind: 'retry', at: new Date(Math.min(now.getTime() + delay, deadline)) };
}

/** A duration as a person reads it in the admin: "24 h", "90 min", "45 s". */
export function describeDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
