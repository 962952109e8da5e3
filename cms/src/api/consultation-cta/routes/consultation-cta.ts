import { factories } from '@strapi/strapi';

// Editors write through the admin; the public API only reads.
export default factories.createCoreRouter('api::consultation-cta.consultation-cta', { only: ['find'] });
