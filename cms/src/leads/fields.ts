// The outbox's state lives on the consultation request itself (schema.json), so it survives restarts, is shared
// by every CMS process on the database, and editors see it in the admin list. These are its attributes.

/** The attribute names of the outbox state, as schema.json spells them. */
export const OUTBOX = {
  status: 'notificationStatus',
  attempts: 'notificationAttempts',
  error: 'notificationError',
  nextAttemptAt: 'notificationNextAttemptAt',
  sentAt: 'notificationSentAt',
  confirmationSentAt: 'confirmationSentAt',
  leaseUntil: 'notificationLeaseUntil',
  leaseToken: 'notificationLeaseToken',
} as const;

type NotificationStatus = 'pending' | 'sent' | 'failed';

export const OUTBOX_ATTRIBUTES: readonly string[] = Object.values(OUTBOX);

/** Every new request starts here, whatever created it: due now, never tried. */
export function initialOutboxState(now: Date): Record<string, unknown> {
  return {
    [OUTBOX.status]: 'pending' satisfies NotificationStatus,
    [OUTBOX.attempts]: 0,
    [OUTBOX.error]: null,
    [OUTBOX.nextAttemptAt]: now,
    [OUTBOX.sentAt]: null,
    [OUTBOX.confirmationSentAt]: null,
    [OUTBOX.leaseUntil]: null,
    [OUTBOX.leaseToken]: null,
  };
}
