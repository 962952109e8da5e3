// Registers the "publish → rebuild" webhook in code, at every boot, from REBUILD_URL and WEBHOOK_TOKEN.
// In code because the admin refuses localhost webhook URLs in production mode, and because a webhook
// clicked together in the admin is invisible to review. Idempotent: one webhook, named below, updated
// in place when the settings change and removed when REBUILD_URL is unset.
import type { Core } from '@strapi/strapi';
import { settings } from '../settings';

const REBUILD_WEBHOOK_NAME = 'Site rebuild (managed in code: cms/src/bootstrap/rebuild-webhook.ts)';

/** What changes the published site. Draft saves (entry.create/update) do not. */
const REBUILD_EVENTS = ['entry.publish', 'entry.unpublish', 'entry.delete', 'media.create', 'media.update', 'media.delete'];

type Webhook = { id: string; name: string; url: string; headers: Record<string, string>; events: string[]; isEnabled: boolean };
type WebhookStore = {
  findWebhooks: () => Promise<Webhook[]>;
  createWebhook: (data: Omit<Webhook, 'id'>) => Promise<Webhook>;
  updateWebhook: (id: string, data: Omit<Webhook, 'id'>) => Promise<Webhook>;
  deleteWebhook: (id: string) => Promise<unknown>;
  listAllowedEvents: () => string[];
  getAllowedEvent: (key: string) => string | undefined;
};
type WebhookRunner = { add: (webhook: Webhook) => void; update: (webhook: Webhook) => void; remove: (webhook: Webhook) => void };

/** The webhook REBUILD_URL and WEBHOOK_TOKEN ask for (the settings already refuse a URL without a token). */
function desiredWebhook(): Omit<Webhook, 'id'> | null {
  const { REBUILD_URL: url, WEBHOOK_TOKEN: token } = settings();
  if (!url || !token) return null;
  return { name: REBUILD_WEBHOOK_NAME, url, headers: { Authorization: `Bearer ${token}` }, events: REBUILD_EVENTS, isEnabled: true };
}

const same = (a: Omit<Webhook, 'id'>, b: Omit<Webhook, 'id'>) =>
  JSON.stringify([a.url, a.headers, [...a.events].sort(), a.isEnabled]) ===
  JSON.stringify([b.url, b.headers, [...b.events].sort(), b.isEnabled]);

export async function registerRebuildWebhook(strapi: Core.Strapi): Promise<void> {
  const store = strapi.get('webhookStore') as WebhookStore;
  const runner = strapi.get('webhookRunner') as WebhookRunner;
  const wanted = desiredWebhook();
  const [current, ...duplicates] = (await store.findWebhooks()).filter((webhook) => webhook.name === REBUILD_WEBHOOK_NAME);

  for (const extra of duplicates) {
    runner.remove(extra);
    await store.deleteWebhook(extra.id);
  }
  if (!wanted) {
    if (current) {
      runner.remove(current);
      await store.deleteWebhook(current.id);
    }
    strapi.log.info('REBUILD_URL is not set: publishing does not trigger a site rebuild.');
    return;
  }
  if (!current) {
    runner.add(await store.createWebhook(wanted));
  } else if (!same(current, wanted)) {
    runner.update(await store.updateWebhook(current.id, wanted));
  }
  strapi.log.info(`Rebuild webhook → ${wanted.url} on ${wanted.events.join(', ')}.`);
}
