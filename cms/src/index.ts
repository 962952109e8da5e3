import type { Core } from '@strapi/strapi';
import { registerCoverAltRule } from './bootstrap/cover-alt';
import { registerDraftGuard } from './bootstrap/draft-guard';
import { registerFirstPublished } from './bootstrap/first-published';
import { makeGraphqlReadOnly } from './bootstrap/graphql';
import { registerPublishGuard } from './bootstrap/publish-guard';
import { enforcePublicPermissions } from './bootstrap/public-permissions';
import { registerPublicPopulateLimit } from './bootstrap/public-populate';
import { ensureDevAdmin } from './bootstrap/dev-admin';
import { closeAdminRegistration, ensureFirstAdmin } from './bootstrap/first-admin';
import { applyEditorHints } from './bootstrap/editor-hints';
import { registerRebuildWebhook } from './bootstrap/rebuild-webhook';
import { registerRequiredContentGuard } from './bootstrap/required-content';
import { registerOutboxState, startOutbox, stopOutbox } from './leads/outbox';
import { settleRateLimiters } from './api/consultation-request/middlewares/rate-limit';
import { seedOnFirstStart } from './seed/seed';
import { settings } from './settings';
import { explainUploadFailures } from './uploads/upload-failures';
import { describeUploads } from './uploads/upload-provider';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerDraftGuard(strapi);
    registerPublicPopulateLimit(strapi);
    registerPublishGuard(strapi);
    registerCoverAltRule(strapi);
    registerFirstPublished(strapi);
    registerRequiredContentGuard(strapi);
    makeGraphqlReadOnly(strapi);
    closeAdminRegistration(strapi);
    registerOutboxState(strapi);
    explainUploadFailures(strapi, settings());
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    strapi.log.info(describeUploads(settings()));
    await enforcePublicPermissions(strapi);
    await ensureDevAdmin(strapi);
    await ensureFirstAdmin(strapi);
    await applyEditorHints(strapi);
    // Seed before the webhook exists: the first build happens when the site starts, not per seeded entry.
    if (settings().SEED_ON_START) await seedOnFirstStart(strapi);
    await registerRebuildWebhook(strapi);
    startOutbox(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await stopOutbox();
    await settleRateLimiters(strapi);
  },
};
