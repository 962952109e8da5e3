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
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';
import { OUTBOX } from './fields';
import type { LeadRequest } from './mails';

type Row = Record<string, unknown>;

export type ClaimedRequest = LeadRequest & {
  id: number;
  attempts: number;
  agencySent: boolean;
  confirmationSent: boolean;
  token: string;
};

const asDate = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string | number | Date));

export class OutboxStore {
  private readonly strapi: Core.Strapi;
  private readonly schema: string | null;
  private readonly table: string;
  private readonly column: Record<string, string>;

  constructor(strapi: Core.Strapi, schema: string | null) {
    this.strapi = strapi;
    this.schema = schema;
    const meta = strapi.db.metadata.get(UID.consultationRequest);
    this.table = meta.tableName;
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

  private query() {
    const knex = this.strapi.db.connection;
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
}
