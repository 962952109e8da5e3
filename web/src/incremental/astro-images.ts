// The images an incremental update's pages need (./update-site.ts). While pages render, astro:assets records
// every image transform they ask for in its static image list (globalThis.astroAsset.staticImages); a full
// build then encodes them all (astro/dist/core/build/generate.js). An update collects the transforms of the
// pages it renders in a list of its own and encodes only the files its build does not have yet, with the
// functions the full build uses: Astro's image cache (<cacheDir>/assets/) answers for any image encoded
// before, so the files are the full build's, byte for byte.
//
// These functions are not part of Astro's public API (astro/dist/assets/build/generate.js, Astro 7.3): they
// are loaded by file, and if they are missing or fail, the update fails and the rebuild service builds in
// full instead. The equivalence test (tests/integration/incremental.test.ts) catches a change of behaviour.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RetainedBuild } from './retained-build.ts';

type Transforms = { originalSrcPath?: string; transforms: Map<string, { finalPath: string; transform: unknown }> };
type StaticImages = Map<string, Transforms>;
type AstroAsset = { staticImages?: StaticImages; addStaticImage?: unknown };
type AstroAssetGlobal = { astroAsset?: AstroAsset };

/**
 * The build's way to register a transform (astro:assets sets it when its Vite build starts): kept with the
 * retained build, because the global it lives on is replaced once the build is over, and without it
 * getImage() would answer an `/_image?href=` URL instead of the build's file.
 */
export function buildImageRegistrar(): unknown {
  return (globalThis as AstroAssetGlobal).astroAsset?.addStaticImage ?? null;
}

type AstroImageGeneration = {
  prepareAssetsGenerationEnv(options: unknown, totalCount: number): Promise<unknown>;
  generateImagesForPath(originalPath: string, transforms: Transforms, env: unknown): Promise<void>;
};

async function astroImageGeneration(): Promise<AstroImageGeneration> {
  const astroDir = path.dirname(createRequire(import.meta.url).resolve('astro/package.json'));
  const module = (await import(pathToFileURL(path.join(astroDir, 'dist/assets/build/generate.js')).href)) as Partial<AstroImageGeneration>;
  if (typeof module.prepareAssetsGenerationEnv !== 'function' || typeof module.generateImagesForPath !== 'function')
    throw new Error(
      'This Astro version does not have the image functions an incremental build uses (astro/dist/assets/build/generate.js).',
    );
  return module as AstroImageGeneration;
}

/**
 * Gives the renders that follow a static image list of their own and the build's registrar
 * (buildImageRegistrar); `restore` puts back what was there.
 */
export function takeStaticImages(build: RetainedBuild): { collected: () => StaticImages; restore: () => void } {
  if (!build.addStaticImage) throw new Error('The retained build has no image registrar (astro:assets changed): build in full.');
  const holder = globalThis as AstroAssetGlobal;
  const assets = (holder.astroAsset ??= {});
  const previous = { staticImages: assets.staticImages, addStaticImage: assets.addStaticImage };
  const own: StaticImages = new Map();
  assets.staticImages = own;
  assets.addStaticImage = build.addStaticImage;
  return {
    collected: () => own,
    restore: () => Object.assign(assets, previous),
  };
}

/** Encodes the transforms in `images` whose files `outDir` does not have, as the full build would. */
export async function encodeMissingImages(build: RetainedBuild, images: StaticImages, outDir: string): Promise<number> {
  const missing: Array<[string, Transforms]> = [];
  for (const [original, entry] of images) {
    const transforms = new Map([...entry.transforms].filter(([, transform]) => !existsSync(path.join(outDir, transform.finalPath))));
    if (transforms.size > 0) missing.push([original, { ...entry, transforms }]);
  }
  if (missing.length === 0) return 0;
  const options = build.prerenderer.app?.getOptions?.() as { settings: { config: Record<string, unknown> } } | undefined;
  if (!options) throw new Error("The retained build has no build options: Astro's prerenderer changed.");
  // The same settings, writing into the update's directory.
  const settings = { ...options.settings, config: { ...options.settings.config, outDir: pathToFileURL(`${outDir}${path.sep}`) } };
  const generation = await astroImageGeneration();
  const count = missing.reduce((sum, [, entry]) => sum + entry.transforms.size, 0);
  const env = await generation.prepareAssetsGenerationEnv({ ...options, settings }, count);
  for (const [original, entry] of missing) await generation.generateImagesForPath(original, entry, env);
  return count;
}
