// Where Inter's woff files are, for the share cards (src/images/share-card.ts). Found from this file's own
// location at config time (src/integrations/images.ts), because @fontsource/inter exports only its CSS and the
// bundled pages, which run from the build's output directory, could not resolve it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CardFonts } from './share-card.ts';

export function interFonts(from: string = fileURLToPath(import.meta.url)): CardFonts {
  const file = (weight: number) => join('node_modules', '@fontsource', 'inter', 'files', `inter-latin-${weight}-normal.woff`);
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, file(400)))) return { regular: join(dir, file(400)), bold: join(dir, file(700)) };
    if (dirname(dir) === dir) throw new Error('Cannot find @fontsource/inter in node_modules: the share cards need it (npm install).');
  }
}
