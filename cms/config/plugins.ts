import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { PAGE_SIZE } from '@agency/shared';
import { allowedOrigins, corsOriginMatcher } from '../src/http/cors';
import { settings } from '../src/settings';

/**
 * Limits on every GraphQL operation, checked before anything runs (graphql-armor's validation rules and its
 * parser plugin): without them one anonymous query with 2,000 aliases kept the CMS busy for seconds. The
 * site's own documents (shared/src/queries.ts) stay far below each (tests/integration/graphql-limits.test.ts).
 */
const GRAPHQL_LIMITS = {
  aliases: 30,
  tokens: 2_000,
  cost: 5_000,
  depth: 10,
  directives: 20,
} as const;

function graphqlArmor() {
  return new ApolloArmor({
    maxAliases: { n: GRAPHQL_LIMITS.aliases, exposeLimits: true },
    maxTokens: { n: GRAPHQL_LIMITS.tokens, exposeLimits: true },
    costLimit: { maxCost: GRAPHQL_LIMITS.cost, exposeLimits: true },
    maxDepth: { n: GRAPHQL_LIMITS.depth, exposeLimits: true },
    maxDirectives: { n: GRAPHQL_LIMITS.directives, exposeLimits: true },
    // "Did you mean …?" would list field names even with introspection off.
    blockFieldSuggestion: { enabled: true },
  }).protect();
}

export default () => {
  const s = settings();
  const armor = graphqlArmor();
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
          // Added to the plugin's own (its depth limit, landing page): the plugin concatenates these lists.
          plugins: armor.plugins,
          validationRules: armor.validationRules,
          allowBatchedHttpRequests: false,
          // Strapi's strapi::body skips /graphql; this parser takes JSON only, up to a size the site's queries
          // never approach (the limits above refuse a big query by its content, with a message).
          bodyParserConfig: { enableTypes: ['json'], jsonLimit: '100kb' },
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
