// What a site build tells whoever ran it: a JSON file the build writes (its path in SITE_BUILD_REPORT), so the
// rebuild service, the benchmarks and the tests learn the outcome and its figures without reading Astro's log.
// The web build writes it (web/src/content/ for the content part, an Astro integration when the pages are
// written); scripts read it with readBuildReport-style parsing against BuildReportSchema.
import './zod-config.ts';
import { z } from 'zod';

/** The environment variable that names the report file; unset, the build writes no report. */
export const BUILD_REPORT_ENV = 'SITE_BUILD_REPORT';

/** What the content loader fetched: how many articles, in how many GraphQL requests, in how long. */
export const BuildContentStatsSchema = z.object({
  articles: z.number().int().nonnegative(),
  requests: z.number().int().positive(),
  fetchMs: z.number().nonnegative(),
});

/**
 * The build's images (web/src/images/): originals encoded (at least one variant was missing from the cache)
 * and originals whose every variant came from the cache. Absent when the build shows no image.
 */
export const BuildImageStatsSchema = z.object({
  encoded: z.number().int().nonnegative(),
  reused: z.number().int().nonnegative(),
});

/**
 * An incremental publish (web/src/incremental/): the pages it rendered again and removed; every other page is
 * the previous build's file. Absent for a full build.
 */
export const BuildIncrementalStatsSchema = z.object({
  rendered: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** Of all the site's pages. */
  of: z.number().int().nonnegative(),
});

/**
 * What an incremental publish did, as the site's update (web/src/incremental/update-site.ts) tells the rebuild
 * service's build worker (scripts/rebuild/build-worker-protocol.ts).
 */
export type IncrementalUpdateFigures = {
  rendered: number;
  removed: number;
  /** Of all the site's pages. */
  pages: number;
  /** GraphQL requests sent for the changed articles. */
  requests: number;
  fetchMs: number;
  /**
   * Where the time went, in ms: the site's paths and what changed, the copy of the live build, rendering and
   * writing, images, compression.
   */
  steps: { pathsMs: number; copyMs: number; renderMs: number; imagesMs: number; compressMs: number };
  /** Whether the copy of the live build was the one made ahead of time (web/src/incremental/spare-copy.ts). */
  spare: boolean;
};

export const BuildFailureSchema = z.object({
  /** A CmsError kind (`unreachable`, `invalid-content`, …) or `build` for anything else. */
  kind: z.string().min(1),
  /** The message a person acts on, as the build printed it. */
  message: z.string().min(1),
});

export const BuildReportSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    content: BuildContentStatsSchema,
    /** Every page the build wrote, as site paths (`/`, `/articles/x/`, `/404.html`, `/sitemap.xml`, …). */
    pages: z.array(z.string()),
    images: BuildImageStatsSchema.optional(),
    incremental: BuildIncrementalStatsSchema.optional(),
  }),
  z.object({
    ok: z.literal(false),
    /** What was fetched before the failure, when the content came in and something later failed. */
    content: BuildContentStatsSchema.optional(),
    error: BuildFailureSchema,
  }),
]);

export type BuildContentStats = z.infer<typeof BuildContentStatsSchema>;
export type BuildImageStats = z.infer<typeof BuildImageStatsSchema>;
export type BuildIncrementalStats = z.infer<typeof BuildIncrementalStatsSchema>;
export type BuildFailure = z.infer<typeof BuildFailureSchema>;
export type BuildReport = z.infer<typeof BuildReportSchema>;
