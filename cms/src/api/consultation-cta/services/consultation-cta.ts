import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::consultation-cta.consultation-cta');
