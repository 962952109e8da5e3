// The outbox's reads and writes, straight on the consultation requests' table through Strapi's knex: the claim
// must be one conditional UPDATE, which the Document Service cannot express.
//
// Exactly once across CMS processes: a worker sends a request's mail only after it claimed it with
//   UPDATE … SET lease_until = now + LEADS_LEASE_MS, lease_token = <random>
//   WHERE id = ? AND status = 'pending' AND next_attempt_at <= now AND (lease_until IS NULL OR lease_until < now)
// and only the process whose UPDATE changed the row goes on (Postgres re-checks the WHERE of a concurrent UPDATE
// on the row's newest version, so of two replicas exactly one wins; SQLite runs writes one at a time). Every
// later write is conditional on the lease token, so a process that lost its lease changes nothing. Each mail's
// send time is written as soon as it is sent, so a retry never sends it again. One case remains: a process
// that dies after the SMTP server accepted a mail but before it wrote that down; once the lease expires,
// another process sends that mail again (at-least-once, for a crash inside that window only).
//
// The reader's confirmation is rationed (reserveConfirmation): at most one per mailbox a day and a number per
// hour in all, counted from the requests' own confirmation times, so the count survives restarts and every
// process reads the same. Checking and taking a slot is one transaction, which on Postgres first takes an
// advisory lock, so two replicas cannot both take the last slot; SQLite runs one transaction at a time.
import { createHash, randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';
import { OUTBOX } from './fields';
import type { LeadRequest } from './mails';
import { recipientKey } from './recipient';

type Row = Record<string, unknown>;

export type ClaimedRequest = LeadRequest & {
  id: number;
  attempts: number;
  agencySent: boolean;
  confirmationSent: boolean;
  token: string;
};

/** Taking a confirmation's slot: taken, or why not (the mailbox had one in the last day, the hourly cap, the claim lost). */
export type ConfirmationSlot = 'reserved' | 'recipient-had-one' | 'hourly-cap' | 'lost-lease';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const asDate = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string | number | Date));

export class OutboxStore {
  private readonly strapi: Core.Strapi;
  private readonly schema: string | null;
  private readonly table: string;
  private readonly column: Record<string, string>;

  /** The Postgres advisory lock the confirmation slots are taken under (one per schema and table); null on SQLite. */
  private readonly lock: string | null;

  /** `schema`: the Postgres schema, or null on SQLite. */
  constructor(strapi: Core.Strapi, schema: string | null) {
    this.strapi = strapi;
    this.schema = schema;
    const meta = strapi.db.metadata.get(UID.consultationRequest);
    this.table = meta.tableName;
    this.lock =
      schema === null
        ? null
        : createHash('sha256').update(`agency confirmations ${schema}.${this.table}`).digest().readBigInt64BE(0).toString();
    const names = [
      ...Object.values(OUTBOX),
      'id',
      'documentId',
      'name',
      'email',
      'phone',
      'preferredTime',
      'message',
      'consent',
      'createdAt',
    ];
    this.column = Object.fromEntries(
      names.map((name) => {
        const attribute = meta.attributes[name] as { columnName?: string } | undefined;
        if (!attribute) throw new Error(`The consultation request has no attribute "${name}" (schema.json): the outbox cannot run.`);
        return [name, attribute.columnName ?? name];
      }),
    );
  }

  private query(knex: Core.Strapi['db']['connection'] = this.strapi.db.connection) {
    return this.schema ? knex(this.table).withSchema(this.schema) : knex(this.table);
  }

  private c(name: string): string {
    return this.column[name]!;
  }

  /** Ids of requests whose mail is due now and claimed by nobody, oldest first. */
  async due(now: Date, limit: number): Promise<number[]> {
    const rows: Row[] = await this.query()
      .select(this.c('id'))
      .where(this.c(OUTBOX.status), 'pending')
      .andWhere((q) => q.whereNull(this.c(OUTBOX.nextAttemptAt)).orWhere(this.c(OUTBOX.nextAttemptAt), '<=', now))
      .andWhere((q) => q.whereNull(this.c(OUTBOX.leaseUntil)).orWhere(this.c(OUTBOX.leaseUntil), '<', now))
      .orderBy(this.c('id'), 'asc')
      .limit(limit);
    return rows.map((row) => Number(row[this.c('id')]));
  }

  /** Claims one request for `leaseMs` (the conditional UPDATE above); null when another process has it or it is no longer due. */
  async claim(id: number, now: Date, leaseMs: number): Promise<ClaimedRequest | null> {
    const token = randomUUID();
    const changed = await this.query()
      .where(this.c('id'), id)
      .andWhere(this.c(OUTBOX.status), 'pending')
      .andWhere((q) => q.whereNull(this.c(OUTBOX.nextAttemptAt)).orWhere(this.c(OUTBOX.nextAttemptAt), '<=', now))
      .andWhere((q) => q.whereNull(this.c(OUTBOX.leaseUntil)).orWhere(this.c(OUTBOX.leaseUntil), '<', now))
      .update({ [this.c(OUTBOX.leaseUntil)]: new Date(now.getTime() + leaseMs), [this.c(OUTBOX.leaseToken)]: token });
    if (Number(changed) !== 1) return null;
    const row: Row | undefined = await this.query().where(this.c('id'), id).first();
    if (!row) return null;
    const value = (name: string) => row[this.c(name)];
    return {
      id,
      token,
      documentId: String(value('documentId')),
      name: String(value('name') ?? ''),
      email: String(value('email') ?? ''),
      phone: (value('phone') as string | null) ?? null,
      preferredTime: (value('preferredTime') as string | null) ?? null,
      message: (value('message') as string | null) ?? null,
      consent: Boolean(value('consent')),
      createdAt: asDate(value('createdAt')) ?? now,
      attempts: Number(value(OUTBOX.attempts) ?? 0),
      agencySent: value(OUTBOX.sentAt) !== null && value(OUTBOX.sentAt) !== undefined,
      confirmationSent: value(OUTBOX.confirmationSentAt) !== null && value(OUTBOX.confirmationSentAt) !== undefined,
    };
  }

  /** Writes fields of a request this process holds the lease of; false when the lease was lost. */
  async write(claim: ClaimedRequest, fields: Partial<Record<(typeof OUTBOX)[keyof typeof OUTBOX], unknown>>): Promise<boolean> {
    const update = Object.fromEntries(Object.entries(fields).map(([name, value]) => [this.c(name), value]));
    const changed = await this.query().where(this.c('id'), claim.id).andWhere(this.c(OUTBOX.leaseToken), claim.token).update(update);
    return Number(changed) === 1;
  }

  /** Releases the lease along with the final fields of this attempt. */
  finish(claim: ClaimedRequest, fields: Partial<Record<(typeof OUTBOX)[keyof typeof OUTBOX], unknown>>): Promise<boolean> {
    return this.write(claim, { ...fields, [OUTBOX.leaseUntil]: null, [OUTBOX.leaseToken]: null });
  }

  /**
   * Takes the reader's confirmation slot for a claimed request, writing its confirmation time now (before the
   * send: a second process must see it taken). Refused when the same mailbox (recipient.ts) had a confirmation
   * in the last 24 hours, or `perHour` confirmations went out in the last hour. After a failed send, give the
   * slot back (releaseConfirmation); a process that dies in between leaves it taken: one mail fewer, never more.
   */
  async reserveConfirmation(claim: ClaimedRequest, now: Date, perHour: number): Promise<ConfirmationSlot> {
    const sentAt = this.c(OUTBOX.confirmationSentAt);
    return this.strapi.db.connection.transaction(async (trx) => {
      if (this.lock !== null) await trx.raw('SELECT pg_advisory_xact_lock(?::bigint)', [this.lock]);
      // Every confirmation of the last day: at most perHour × 24 rows, whatever the table holds.
      const rows: Row[] = await this.query(trx)
        .select(this.c('email'), sentAt)
        .where(sentAt, '>', new Date(now.getTime() - DAY_MS))
        .andWhereNot(this.c('id'), claim.id);
      const mailbox = recipientKey(claim.email);
      if (rows.some((row) => recipientKey(String(row[this.c('email')] ?? '')) === mailbox)) return 'recipient-had-one';
      const lastHour = rows.filter((row) => (asDate(row[sentAt])?.getTime() ?? 0) > now.getTime() - HOUR_MS).length;
      if (lastHour >= perHour) return 'hourly-cap';
      const changed = await this.query(trx)
        .where(this.c('id'), claim.id)
        .andWhere(this.c(OUTBOX.leaseToken), claim.token)
        .update({ [sentAt]: now });
      return Number(changed) === 1 ? 'reserved' : 'lost-lease';
    });
  }

  /** Gives back a confirmation slot whose mail was not accepted, so a retry may take one again. */
  releaseConfirmation(claim: ClaimedRequest): Promise<boolean> {
    return this.write(claim, { [OUTBOX.confirmationSentAt]: null });
  }
}
