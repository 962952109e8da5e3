// The preview server fetches per request (src/cms/preview.ts) and loads no content at build time. It declares
// the site's collections anyway, with loaders that fetch nothing, because its build writes the same
// web/.astro/ types as the site's: without them, astro:content would be typed as empty after every preview
// build, and the site's pages would stop type-checking until the next site build.
import { siteCollections } from '../content/collections.ts';
import { cmsLoaders } from '../content/loader.ts';

export const collections = siteCollections(cmsLoaders({ typesOnly: true }));
