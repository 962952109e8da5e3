import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { PAGE_SIZE } from '@agency/shared';
import { allowedOrigins, corsOriginMatcher } from '../src/http/cors';
import { settings } from '../src/settings';

export default () => {
  const s = settings();
  const production = s.NODE_ENV === 'production';
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
          cors: { origin: corsOriginMatcher(allowedOrigins(s)) },
        },
      },
    },
    'users-permissions': {
      config: {
        jwtSecret: s.JWT_SECRET,
      },
    },
  };
};
