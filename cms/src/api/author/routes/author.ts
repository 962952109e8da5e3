import { factories } from '@strapi/strapi';
import { UID } from '@agency/shared';

// Editors write through the admin; the public API only reads.
export default factories.createCoreRouter(UID.author, { only: ['find', 'findOne'] });
