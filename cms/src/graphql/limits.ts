// The limits on every GraphQL operation (config/plugins.ts gives them to the plugin and to graphql-armor), in a
// file of their own so the tests read the same numbers (tests/integration/api-limits.suite.ts).
import { PAGE_SIZE } from '@agency/shared';

/**
 * Checked before anything runs (graphql-armor's validation rules and its parser plugin, and our list cost):
 * without them one anonymous query with 2,000 aliases kept the CMS busy for seconds, and one of relation lists
 * inside relation lists for 17 s. The site's own documents (shared/src/queries.ts) stay below each.
 */
export const GRAPHQL_LIMITS = {
  aliases: 30,
  tokens: 2_000,
  /** graphql-armor's static cost: fields weighted by depth, lists not counted. */
  cost: 5_000,
  depth: 10,
  directives: 20,
  /**
   * The worst case with every list counted at its page size (list-cost.ts): just above what the site's build
   * asks for (SITE_CONTENT_QUERY, 100 articles with up to 100 topics each: 56,733 when written; the test prints it).
   */
  listCost: 60_000,
} as const;

/** Items in a list asked for without a page size, and the most any list returns (REST's are in config/api.ts). */
export const GRAPHQL_PAGES = { defaultLimit: 25, maxLimit: PAGE_SIZE } as const;
