import { factories } from '@strapi/strapi';
import { UID } from '@agency/shared';

export default factories.createCoreService(UID.topic);
