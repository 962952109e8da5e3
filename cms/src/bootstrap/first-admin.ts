// Production never lets the first visitor become the admin. Strapi's admin panel offers
// POST /admin/register-admin to whoever comes first while no admin exists; in production that route is shut
// (403, saying how the first admin is made), and the first super admin is created at boot from ADMIN_EMAIL and
// ADMIN_PASSWORD (src/settings.ts refuses a weak password) when no admin exists yet. ADMIN_PASSWORD is read only
// then: once an admin exists the CMS starts without it, so the operator removes it (an unchanged first password
// should not sit in the server's environment or secrets for good). Development keeps the local editor account
// (dev-admin.ts).
import type { Core } from '@strapi/strapi';
import { isPath } from '@agency/shared/server';
import { settings } from '../settings';

const REGISTER_PATH = '/admin/register-admin';

const REGISTRATION_CLOSED =
  'Registration is closed in production: the first admin is created at boot from ADMIN_EMAIL and ADMIN_PASSWORD ' +
  '(docs/deployment.md), or with `npx strapi admin:create-user` on the server.';

/**
 * Shuts POST /admin/register-admin in production, before Strapi's own routes see it: every spelling its router
 * would take too (`/ADMIN/register-admin`, a trailing slash; @agency/shared/server's isPath).
 */
export function closeAdminRegistration(strapi: Core.Strapi): void {
  if (settings().NODE_ENV !== 'production') return;
  strapi.server.use(async (ctx, next) => {
    if (ctx.method === 'POST' && isPath(ctx.path, REGISTER_PATH)) {
      ctx.status = 403;
      ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: REGISTRATION_CLOSED, details: {} } };
      return;
    }
    await next();
  });
}

/**
 * In production, creates the super admin from ADMIN_EMAIL / ADMIN_PASSWORD when there is no admin yet. With
 * ADMIN_EMAIL but no ADMIN_PASSWORD that is only fine once an admin exists: before, it stops the boot.
 */
export async function ensureFirstAdmin(strapi: Core.Strapi): Promise<void> {
  const { NODE_ENV, ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = settings();
  if (NODE_ENV !== 'production') return;
  const noAdminYet = async () => (await strapi.db.query('admin::user').count()) === 0;
  if (!email) {
    if (await noAdminYet()) strapi.log.warn(`No admin exists yet and ADMIN_EMAIL / ADMIN_PASSWORD are not set. ${REGISTRATION_CLOSED}`);
    return;
  }
  if (!(await noAdminYet())) return;
  if (!password) {
    throw new Error(
      `No admin exists yet, and ADMIN_EMAIL is set but ADMIN_PASSWORD is not: set ADMIN_PASSWORD (or ADMIN_PASSWORD_FILE) ` +
        `for the first start, so the first admin ${email.toLowerCase()} can be created; it can be removed once they have logged in.`,
    );
  }

  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  if (!superAdmin) throw new Error('The Super Admin role is missing; cannot create the first admin.');
  await strapi.service('admin::user').create({
    email: email.toLowerCase(),
    firstname: 'Site',
    lastname: 'Admin',
    password,
    isActive: true,
    roles: [superAdmin.id],
  });
  strapi.log.info(`Created the first admin ${email.toLowerCase()} from ADMIN_EMAIL / ADMIN_PASSWORD.`);
}
