import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::consultation-request.consultation-request');
