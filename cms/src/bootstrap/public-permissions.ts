// The public (unauthenticated) API is defined here, in code, and enforced at every boot: it reads published
// site content and may send a consultation request, nothing else. A permission ticked by hand in the admin's
// Public role is removed again, so the public surface can only grow through a reviewed change to this list.
// An action is `<content-type UID>.<controller action>`.
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';

const PUBLIC_ACTIONS = [
  `${UID.article}.find`,
  `${UID.article}.findOne`,
  `${UID.author}.find`,
  `${UID.author}.findOne`,
  `${UID.topic}.find`,
  `${UID.topic}.findOne`,
  `${UID.consultationCta}.find`,
  `${UID.global}.find`,
  // Readers send consultation requests (create only: they can never list or read them).
  `${UID.consultationRequest}.create`,
] as const;

export async function enforcePublicPermissions(strapi: Core.Strapi): Promise<void> {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  if (!role) throw new Error('The users-permissions Public role is missing; the database is not initialised.');

  const permissions = strapi.db.query('plugin::users-permissions.permission');
  const existing: Array<{ id: number; action: string }> = await permissions.findMany({ where: { role: role.id } });

  const allowed = new Set<string>(PUBLIC_ACTIONS);
  const extra = existing.filter((permission) => !allowed.has(permission.action));
  if (extra.length > 0) {
    await permissions.deleteMany({ where: { id: { $in: extra.map((permission) => permission.id) } } });
    strapi.log.info(`Public role: removed ${extra.length} permission(s) not in the public API: ${extra.map((p) => p.action).join(', ')}`);
  }
  const have = new Set(existing.map((permission) => permission.action));
  for (const action of PUBLIC_ACTIONS) {
    if (!have.has(action)) await permissions.create({ data: { action, role: role.id } });
  }

  // Nobody signs up on the public API: readers do not have accounts.
  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const advanced = ((await store.get()) ?? {}) as Record<string, unknown>;
  if (advanced.allow_register !== false) await store.set({ value: { ...advanced, allow_register: false } });
}
