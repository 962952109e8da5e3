// The site's content, as Astro's content layer holds it (src/content/collections.ts): loaded from the CMS at
// the start of each build (src/content/loader.ts). Pages read it with getCollection / getEntry
// (src/content/entries.ts).
import { siteCollections } from './content/collections.ts';
import { cmsLoaders } from './content/loader.ts';

export const collections = siteCollections(cmsLoaders());
