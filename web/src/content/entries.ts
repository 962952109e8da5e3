// What pages read from the content layer (src/content.config.ts): the articles, the topics and authors that
// published articles carry, and the two single types, which the loader guarantees (a build without them fails
// before any page is rendered). When the warm build worker re-renders the pages a publish affects
// (src/incremental/), they read the updated content it holds instead (src/content/live-content.ts).
import type { Article, Author, ConsultationCta, SiteSettings, Topic } from '@agency/shared';
import { getCollection, getEntry } from 'astro:content';
import { authorListings, topicListings, type Listing } from '../lib/listings.ts';
import { CONSULTATION_CTA_ID, SITE_SETTINGS_ID } from './ids.ts';
import { liveContent } from './live-content.ts';

/**
 * Every published article, in no order to rely on (Astro's store keeps them by id, an incremental publish by
 * date): whatever shows a list sorts it (newestFirst, src/lib/pagination.ts).
 */
export async function articles(): Promise<Article[]> {
  const live = liveContent();
  if (live) return live.articles;
  return (await getCollection('articles')).map((entry) => entry.data);
}

/** Every topic that has a published article, by name, with its articles newest first (src/lib/listings.ts). */
export async function topics(): Promise<Array<Listing<Topic, Article>>> {
  return topicListings(await articles());
}

/** Every author who has a published article, by name, with their articles newest first (src/lib/listings.ts). */
export async function authors(): Promise<Array<Listing<Author, Article>>> {
  return authorListings(await articles());
}

export async function siteSettings(): Promise<SiteSettings> {
  const live = liveContent();
  if (live) return live.site;
  const entry = await getEntry('siteSettings', SITE_SETTINGS_ID);
  if (!entry) throw new Error('The content layer has no site settings: the CMS loader (src/content/loader.ts) did not run.');
  return entry.data;
}

export async function consultationCta(): Promise<ConsultationCta> {
  const live = liveContent();
  if (live) return live.cta;
  const entry = await getEntry('consultationCta', CONSULTATION_CTA_ID);
  if (!entry) throw new Error('The content layer has no consultation CTA: the CMS loader (src/content/loader.ts) did not run.');
  return entry.data;
}
