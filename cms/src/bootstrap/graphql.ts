// Editors change content through the admin; the GraphQL API is read-only for the site's own types.
import type { Core } from '@strapi/strapi';

const READ_ONLY_TYPES = ['api::article.article', 'api::consultation-cta.consultation-cta', 'api::global.global'];

export function makeGraphqlReadOnly(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  for (const uid of READ_ONLY_TYPES) extension.shadowCRUD(uid).disableMutations();
}
