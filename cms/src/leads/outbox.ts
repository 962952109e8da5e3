// Consultation mails through an outbox (docs/leads.md). A request is stored first, with its notification
// `pending`; the worker (worker.ts) then sends the agency's mail and the reader's confirmation. Hooked at the
// Document Service, so a request created by any route (the JSON API, the HTML form, the admin) gets its
// notification, and nobody (an editor saving the request, a client sending these fields) can change the
// outbox's state: only the worker writes it, under its claim.
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';
import { confirmationsOn, databaseClient, settings } from '../settings';
import { initialOutboxState, OUTBOX_ATTRIBUTES } from './fields';
import type { Mail } from './mails';
import { OutboxStore } from './outbox-store';
import { OutboxWorker } from './worker';

let worker: OutboxWorker | undefined;

function withoutOutboxFields(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !OUTBOX_ATTRIBUTES.includes(key)));
}

/** In register(): every created request starts pending; updates never touch the outbox state. */
export function registerOutboxState(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.consultationRequest) return next();
    const params = context.params as { data?: unknown };
    if (context.action === 'create' || context.action === 'clone') {
      params.data = { ...(withoutOutboxFields(params.data) as object), ...initialOutboxState(new Date()) };
      const result = await next();
      worker?.kick();
      return result;
    }
    if (context.action === 'update') params.data = withoutOutboxFields(params.data);
    return next();
  });
}

/** The CMS's own address for links in mail: PUBLIC_URL, or where it listens. */
function cmsUrl(s: ReturnType<typeof settings>): string {
  if (s.PUBLIC_URL) return s.PUBLIC_URL;
  const host = s.HOST === '0.0.0.0' || s.HOST === '::' ? 'localhost' : s.HOST;
  return `http://${host}:${s.PORT}`;
}

/** In bootstrap(): starts the worker, unless mail cannot be sent (then requests wait, pending, and a warning says why). */
export function startOutbox(strapi: Core.Strapi): void {
  const s = settings();
  const missing = [s.SMTP_HOST === null ? 'SMTP_HOST' : null, s.LEADS_EMAIL_TO === null ? 'LEADS_EMAIL_TO' : null].filter(Boolean);
  if (missing.length > 0) {
    strapi.log.warn(
      `Consultation mails are off: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. Requests are stored with a pending notification and sent once ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} set (docs/configuration.md).`,
    );
    return;
  }
  const email = strapi.plugin('email').service('email') as { send: (mail: Mail & { from?: string }) => Promise<unknown> };
  worker = new OutboxWorker({
    store: new OutboxStore(strapi, databaseClient(s) === 'postgres' ? s.DATABASE_SCHEMA : null),
    send: async (mail) => {
      await email.send({ ...mail, from: s.MAIL_FROM });
    },
    agencyTo: s.LEADS_EMAIL_TO!,
    confirm: confirmationsOn(s) ? { perHour: s.LEADS_CONFIRM_PER_HOUR } : null,
    cmsUrl: cmsUrl(s),
    siteUrl: s.SITE_URL,
    pollMs: s.LEADS_POLL_MS,
    leaseMs: s.LEADS_LEASE_MS,
    retry: { baseMs: s.LEADS_RETRY_BASE_MS, maxMs: s.LEADS_RETRY_MAX_MS, giveUpMs: s.LEADS_GIVE_UP_MS },
    log: strapi.log,
  });
  worker.start();
  strapi.log.info(
    `Consultation mails: to ${s.LEADS_EMAIL_TO} through ${s.SMTP_HOST}:${s.SMTP_PORT}${
      confirmationsOn(s)
        ? `, with a confirmation to the reader (one per address a day, at most ${s.LEADS_CONFIRM_PER_HOUR} an hour)`
        : ', without confirmations to readers'
    }.`,
  );
}

/** In destroy(): lets a send in progress finish (its claim is released), then stops. */
export async function stopOutbox(): Promise<void> {
  await worker?.stop();
  worker = undefined;
}
