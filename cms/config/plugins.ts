import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GRAPHQL_LIMITS, GRAPHQL_PAGES } from '../src/graphql/limits';
import { listCostRule } from '../src/graphql/list-cost';
import { allowedOrigins, corsOriginMatcher } from '../src/http/cors';
import { settings, type CmsSettings } from '../src/settings';
import { uploadPluginConfig } from '../src/uploads/upload-provider';

/** graphql-armor's limits on every operation (src/graphql/limits.ts says why); the list cost is our own rule. */
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

/**
 * Strapi's email plugin sends through nodemailer to SMTP_HOST (src/leads sends the consultation mails with it).
 * Without SMTP_HOST the provider still points at nothing reachable: the outbox does not run (src/leads/worker.ts).
 * The timeouts keep every attempt well inside the outbox's lease (LEADS_LEASE_MS), so no other CMS process
 * takes over a mail that is still being sent; nodemailer's own defaults (up to 10 minutes) would not.
 */
function emailConfig(s: CmsSettings) {
  const timeout = Math.max(500, Math.min(30_000, Math.floor(s.LEADS_LEASE_MS / 8)));
  return {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: s.SMTP_HOST ?? '127.0.0.1',
        port: s.SMTP_PORT,
        secure: s.SMTP_SECURE,
        ...(s.SMTP_USER ? { auth: { user: s.SMTP_USER, pass: s.SMTP_PASS ?? '' } } : {}),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      },
      settings: { defaultFrom: s.MAIL_FROM, defaultReplyTo: s.MAIL_FROM },
    },
  };
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
        ...GRAPHQL_PAGES,
        // The sandbox and schema introspection help developers locally; in production they only help attackers.
        landingPage: production ? () => ApolloServerPluginLandingPageDisabled() : true,
        apolloServer: {
          introspection: !production,
          // Added to the plugin's own (its depth limit, landing page): the plugin concatenates these lists.
          plugins: armor.plugins,
          validationRules: [...armor.validationRules, listCostRule({ maxCost: GRAPHQL_LIMITS.listCost, ...GRAPHQL_PAGES })],
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
    email: emailConfig(s),
    // Local disk by default; an S3-compatible bucket with UPLOAD_PROVIDER=s3 (src/uploads, docs/uploads.md).
    // A file the admin fetches from a URL stops at UPLOAD_MAX_BYTES too, as a file sent does (src/middlewares/body-limits.ts).
    upload: { config: { sizeLimit: s.UPLOAD_MAX_BYTES, ...(s.UPLOAD_PROVIDER === 's3' ? uploadPluginConfig(s)?.config : {}) } },
  };
};
