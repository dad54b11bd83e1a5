// Renders public/icon.svg into the PNG sizes browsers and stores use: npm run icons.
// The dark-theme variant (Firefox theme_icons) is the same drawing with its colours swapped.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const PUBLIC = fileURLToPath(new URL('../public', import.meta.url));
const SIZES = [16, 32, 48, 128];
/** Light tile, dark glyph: reads on a dark toolbar. Colours are the popup's dark-theme accent. */
const DARK_THEME_COLOURS: Record<string, string> = { '#0b63ce': '#6aa8ff', '#ffffff': '#0b1320' };

function recolour(svg: string, colours: Record<string, string>): string {
  return svg.replace(/#[0-9a-f]{6}\b/gi, (colour) => colours[colour.toLowerCase()] ?? colour);
}

/** The Chrome Web Store asks for the 128 px icon as 96 px of artwork inside 16 px of transparent margin. */
function withStoreMargin(svg: string): string {
  const margin = (128 * 16) / 96;
  return svg.replace(
    'viewBox="0 0 128 128"',
    `viewBox="${-margin} ${-margin} ${128 + 2 * margin} ${128 + 2 * margin}"`,
  );
}

function render(svg: string, size: number): Buffer {
  const drawing = size === 128 ? withStoreMargin(svg) : svg;
  return new Resvg(drawing, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

async function writeSizes(svg: string, dir: string, sizes: readonly number[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const size of sizes) await writeFile(join(dir, `${size}.png`), render(svg, size));
}

const svg = await readFile(join(PUBLIC, 'icon.svg'), 'utf8');
await writeSizes(svg, join(PUBLIC, 'icon'), SIZES);
// Firefox's theme_icons are toolbar icons: 16 and 32 px.
await writeSizes(recolour(svg, DARK_THEME_COLOURS), join(PUBLIC, 'icon', 'dark-theme'), [16, 32]);
console.log('Wrote the icons to public/icon/ and public/icon/dark-theme/');
