// Production never lets the first visitor become the admin. Strapi's admin panel offers
// POST /admin/register-admin to whoever comes first while no admin exists; in production that route is shut
// (403, saying how the first admin is made), and the first super admin is created at boot from ADMIN_EMAIL and
// ADMIN_PASSWORD (src/settings.ts refuses a weak password) when no admin exists yet. ADMIN_PASSWORD is read only
// then: once an admin exists the CMS starts without it, so the operator removes it (an unchanged first password
// should not sit in the server's environment or secrets for good). Development keeps the local editor account
// (dev-admin.ts).
import type { Core } from '@strapi/strapi';
import { isPath } from '@agency/shared/server';
import { settings, type CmsSettings } from '../settings';

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

/** What a production boot does about the first admin (firstAdminStep). */
export type FirstAdminStep =
  | { do: 'nothing' }
  | { do: 'warn'; message: string }
  | { do: 'create'; email: string; password: string }
  | { do: 'refuse'; message: string };

/**
 * The rule, from the settings and whether an admin exists (the one thing only the database knows): in production
 * with no admin yet, ADMIN_EMAIL and ADMIN_PASSWORD create one, neither leaves registration shut (with a warning),
 * and ADMIN_EMAIL without ADMIN_PASSWORD stops the boot. Once an admin exists neither is read. Pure, so each case
 * is a unit test (cms/test/first-admin.test.ts); the boots that take each step are in first-admin.test.ts.
 */
export function firstAdminStep(
  values: Pick<CmsSettings, 'NODE_ENV' | 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>,
  hasAdmin: boolean,
): FirstAdminStep {
  const { NODE_ENV, ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = values;
  if (NODE_ENV !== 'production' || hasAdmin) return { do: 'nothing' };
  if (!email) return { do: 'warn', message: `No admin exists yet and ADMIN_EMAIL / ADMIN_PASSWORD are not set. ${REGISTRATION_CLOSED}` };
  if (!password)
    return {
      do: 'refuse',
      message:
        `No admin exists yet, and ADMIN_EMAIL is set but ADMIN_PASSWORD is not: set ADMIN_PASSWORD (or ADMIN_PASSWORD_FILE) ` +
        `for the first start, so the first admin ${email.toLowerCase()} can be created; it can be removed once they have logged in.`,
    };
  return { do: 'create', email: email.toLowerCase(), password };
}

/**
 * In production, creates the super admin from ADMIN_EMAIL / ADMIN_PASSWORD when there is no admin yet. With
 * ADMIN_EMAIL but no ADMIN_PASSWORD that is only fine once an admin exists: before, it stops the boot.
 */
export async function ensureFirstAdmin(strapi: Core.Strapi): Promise<void> {
  const values = settings();
  // Development asks the database nothing here (dev-admin.ts has its own account).
  if (values.NODE_ENV !== 'production') return;
  const step = firstAdminStep(values, (await strapi.db.query('admin::user').count()) > 0);
  if (step.do === 'nothing') return;
  if (step.do === 'warn') return void strapi.log.warn(step.message);
  if (step.do === 'refuse') throw new Error(step.message);
  const { email, password } = step;

  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  if (!superAdmin) throw new Error('The Super Admin role is missing; cannot create the first admin.');
  await strapi.service('admin::user').create({
    email,
    firstname: 'Site',
    lastname: 'Admin',
    password,
    isActive: true,
    roles: [superAdmin.id],
  });
  strapi.log.info(`Created the first admin ${email} from ADMIN_EMAIL / ADMIN_PASSWORD.`);
}
