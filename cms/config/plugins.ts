import type { Core } from '@strapi/strapi';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { PAGE_SIZE, allowedOrigins, corsOriginMatcher } from '@agency/shared';
import { requireSecrets } from '../src/env-check';

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const production = env('NODE_ENV') === 'production';
  return {
    graphql: {
      config: {
        endpoint: '/graphql',
        shadowCRUD: true,
        // The plugin ships with no effective limits: a deep or huge query could take the server down.
        depthLimit: 10,
        defaultLimit: 25,
        maxLimit: PAGE_SIZE,
        // The sandbox and schema introspection help developers locally; in production they only help attackers.
        landingPage: production ? () => ApolloServerPluginLandingPageDisabled() : true,
        apolloServer: {
          introspection: !production,
          // The plugin adds its own @koa/cors to /graphql, by default for every origin ('*'). Same origins as
          // the REST API (config/middlewares.ts): the site's, from CORS_ORIGINS or SITE_URL.
          cors: { origin: corsOriginMatcher(allowedOrigins()) },
        },
      },
    },
    'users-permissions': {
      config: {
        jwtSecret: requireSecrets(env, 'JWT_SECRET'),
      },
    },
  };
};
