// REST's `populate` has no depth limit and populated relations no page size: without credentials,
// `/api/articles?populate=topics.articles` returns each of 100 articles with every article of each of its
// topics (with 10,000 articles, hundreds of thousands of rows in one answer), and deeper paths multiply again.
// The site reads over GraphQL, whose lists are paged and costed (src/graphql/list-cost.ts); the public REST API
// keeps what a reader of one page needs: relations named one by one, at most 2 levels deep, crossing at most
// one relation between content types on each path (`topics`, `author.photo`, `seo.shareImage`; not
// `topics.articles`, not `*`). API tokens are not limited. A Document Service middleware like the draft guard
// (draft-guard.ts), reading the query as the request sent it.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { anonymousContentApiRequest } from './draft-guard';

const READ_ACTIONS = new Set(['findMany', 'findOne', 'findFirst', 'count']);

/** The deepest populate path a request without credentials may ask for (`seo.shareImage`: 2). */
const MAX_PUBLIC_POPULATE_DEPTH = 2;

/** What a populate path's segments are, to count the relations it crosses. */
type Attribute = { type?: string; target?: string; component?: string };
type Model = { attributes?: Record<string, Attribute> };
export type GetModel = (uid: string) => Model | undefined;

const isFalse = (value: unknown) => value === false || value === 'false';

/**
 * Every path a REST `populate` asks for, as attribute names (`[['topics'], ['seo', 'shareImage']]`), in each of
 * its forms: `topics,seo.shareImage`, `populate[0]=topics`, `populate[topics][populate][articles]=true`,
 * `populate[body][on][article.section][populate]=…` (a dynamic zone's fragments stay at the zone's level).
 * A wildcard is a segment `*`.
 */
export function populatePaths(populate: unknown, prefix: string[] = []): string[][] {
  if (populate === undefined || populate === null || isFalse(populate)) return [];
  if (populate === true || populate === 'true') return [[...prefix, '*']];
  if (typeof populate === 'string')
    return populate
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => [...prefix, ...item.split('.')]);
  if (Array.isArray(populate)) return populate.flatMap((item) => populatePaths(item, prefix));
  if (typeof populate === 'object')
    return Object.entries(populate).flatMap(([name, entry]) =>
      // `populate[25]=…`: past 20 items the query parser keeps an array as an object with numeric keys.
      /^\d+$/.test(name) ? populatePaths(entry, prefix) : entryPaths(entry, [...prefix, name]),
    );
  return [[...prefix, '*']];
}

/** One populated attribute's paths: itself, what its own `populate` adds under it, and its fragments' (`on`). */
function entryPaths(entry: unknown, path: string[]): string[][] {
  if (isFalse(entry)) return [];
  if (entry === '*') return [[...path, '*']];
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [path];
  const options = entry as { populate?: unknown; on?: unknown };
  const fragments = options.on && typeof options.on === 'object' ? Object.values(options.on) : [];
  return [path, ...populatePaths(options.populate, path), ...fragments.flatMap((fragment) => entryPaths(fragment, path).slice(1))];
}

/** How many relations between content types a path crosses (components, media and dynamic zones do not count). */
function relationsCrossed(path: string[], uid: string, getModel: GetModel): number {
  let model = getModel(uid);
  let relations = 0;
  for (const name of path) {
    const attribute = model?.attributes?.[name];
    if (!attribute) break; // unknown here: Strapi's own validation answers it
    if (attribute.type === 'relation') relations += 1;
    const next =
      attribute.type === 'relation'
        ? attribute.target
        : attribute.type === 'component'
          ? attribute.component
          : attribute.type === 'media'
            ? 'plugin::upload.file'
            : undefined;
    model = next ? getModel(next) : undefined;
  }
  return relations;
}

/** Why a request without credentials may not populate this, or null when it may. */
export function publicPopulateProblem(populate: unknown, uid: string, getModel: GetModel): string | null {
  const paths = populatePaths(populate);
  const shown = (path: string[]) => `"${path.join('.')}"`;
  const wildcard = paths.find((path) => path.includes('*'));
  const deep = paths.find((path) => path.length > MAX_PUBLIC_POPULATE_DEPTH);
  const multiplying = paths.find((path) => relationsCrossed(path, uid, getModel) > 1);
  const problem = wildcard
    ? `${wildcard.length > 1 ? shown(wildcard) : '"*"'} populates everything`
    : deep
      ? `${shown(deep)} is ${deep.length} levels deep`
      : multiplying
        ? `${shown(multiplying)} crosses ${relationsCrossed(multiplying, uid, getModel)} relations, which multiply`
        : null;
  if (!problem) return null;
  return (
    `populate is limited without credentials, and ${problem}. Name each relation to include, at most ` +
    `${MAX_PUBLIC_POPULATE_DEPTH} levels deep and at most one relation between content types on each path ` +
    '(such as populate[0]=topics&populate[1]=seo.shareImage); GraphQL (/graphql) pages nested lists, and an API token may populate more.'
  );
}

export function registerPublicPopulateLimit(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (!READ_ACTIONS.has(context.action)) return next();
    const request = anonymousContentApiRequest(strapi);
    // The query as the request sent it: GraphQL's resolvers populate nothing from it (their lists are costed).
    const populate = request?.query?.populate;
    if (populate !== undefined) {
      const problem = publicPopulateProblem(populate, context.uid, (uid) => strapi.getModel(uid as never) as Model | undefined);
      if (problem) throw new errors.ValidationError(problem);
    }
    return next();
  });
}
