// Editors change content through the admin; the GraphQL API is read-only for the site's own types
// and does not know consultation requests at all.
import type { Core } from '@strapi/strapi';
import { SITE_CONTENT_UIDS, UID } from '@agency/shared';

const READ_ONLY_TYPES = SITE_CONTENT_UIDS;
const HIDDEN_TYPES = [UID.consultationRequest];

export function makeGraphqlReadOnly(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  for (const uid of READ_ONLY_TYPES) extension.shadowCRUD(uid).disableMutations();
  // Consultation requests are personal data sent over REST (POST only): no GraphQL type, query or mutation.
  for (const uid of HIDDEN_TYPES) extension.shadowCRUD(uid).disable();
}
