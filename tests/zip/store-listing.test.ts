import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseMessagesFile } from '@wxt-dev/i18n/build';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const { version } = JSON.parse(read('package.json')) as { version: string };

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

describe('the store listing (store/)', () => {
  it.each(['chrome', 'firefox'])('justifies every permission the %s upload asks for', async (browser) => {
    const zip = await JSZip.loadAsync(readFileSync(join(ROOT, '.output', `video-to-mp3-${version}-${browser}.zip`)));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
      permissions: string[];
      host_permissions: string[];
    };
    const table = read('store/review.md').split('## Permissions')[1]!.split('\n## ')[0]!;
    const justified = new Set([...table.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    expect([...manifest.permissions, ...manifest.host_permissions].filter((name) => !justified.has(name))).toEqual([]);
  });

  it.each([
    ['en', 'store/listing.en.md'],
    ['zh_CN', 'store/listing.zh_CN.md'],
  ])('gives the %s short description the manifest has, short enough for the store', async (locale, listing) => {
    const messages = await parseMessagesFile(join(ROOT, 'locales', `${locale}.yml`));
    const description = messages.find((message) => message.key.join('.') === 'extDescription');
    const text = description?.type === 'simple' ? description.message : '';
    // The Chrome Web Store takes at most 132 characters.
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(132);
    expect(read(listing)).toContain(`> ${text}`);
  });

  it.each(
    ['', 'zh_CN'].flatMap((folder) =>
      (
        [
          ['popup.png', 1280, 800],
          ['in-page.png', 1280, 800],
          ['settings.png', 1280, 800],
          ['editor.png', 1280, 800],
          ['tile.png', 440, 280],
        ] as const
      ).map(([name, width, height]) => [join(folder, name), width, height] as const),
    ),
  )('has the screenshot %s at %i×%i', (name, width, height) => {
    expect(pngSize(readFileSync(join(ROOT, 'store', 'screenshots', name)))).toEqual({ width, height });
  });

  it('links the privacy page', () => {
    for (const file of ['store/listing.en.md', 'store/listing.zh_CN.md', 'store/review.md'])
      expect(read(file), file).toContain('../docs/privacy.md');
  });
});
