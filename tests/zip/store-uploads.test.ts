import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webExt from 'web-ext';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const zipPath = (kind: string) => join(ROOT, '.output', `video-to-mp3-${version}-${kind}.zip`);
const run = promisify(execFile);

async function openZip(kind: string): Promise<JSZip> {
  const path = zipPath(kind);
  if (!existsSync(path)) throw new Error(`No ${path}. Run \`npm run test:zip\` (it makes the zips first).`);
  return JSZip.loadAsync(await readFile(path));
}

const filesOf = (zip: JSZip) =>
  Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name)
    .sort();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0)).toBe(0x89504e47);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

interface IconsInManifest {
  icons?: Record<string, string>;
  action?: { default_icon?: Record<string, string>; theme_icons?: { size: number; light: string; dark: string }[] };
}

/** Every icon the manifest names, with the size it names it at. */
function iconsNamed(manifest: IconsInManifest): { path: string; size: number }[] {
  const sized = (icons: Record<string, string> = {}) =>
    Object.entries(icons).map(([size, path]) => ({ path, size: Number(size) }));
  const themed = (manifest.action?.theme_icons ?? []).flatMap(({ size, light, dark }) => [
    { path: light, size },
    { path: dark, size },
  ]);
  return [...sized(manifest.icons), ...sized(manifest.action?.default_icon), ...themed];
}

/** What an upload must not carry: source maps, tests, fixtures, dependencies' sources, dotfiles. */
const NOT_SHIPPED = /(\.map$|(^|\/)tests?\/|\.test\.|\.fixtures|(^|\/)node_modules\/|(^|\/)\.)/;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function unzipTo(zip: JSZip, dir: string): Promise<void> {
  for (const name of filesOf(zip)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), await zip.file(name)!.async('uint8array'));
  }
}

describe.each(['chrome', 'firefox'])('the %s store upload', (browser) => {
  let zip: JSZip;
  let manifest: IconsInManifest & { version: string };
  beforeAll(async () => {
    zip = await openZip(browser);
    manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  });

  it('is this version', () => {
    expect(manifest.version).toBe(version);
  });

  it('holds every icon the manifest names, at the size it names', async () => {
    const icons = iconsNamed(manifest);
    expect(icons.map((icon) => icon.size)).toEqual(expect.arrayContaining([16, 32, 48, 128]));
    for (const { path, size } of icons) {
      const file = zip.file(path);
      expect(file, path).not.toBeNull();
      expect(pngSize(await file!.async('uint8array')), path).toEqual({ width: size, height: size });
    }
  });

  it('holds no source maps, tests, fixtures or dotfiles', () => {
    expect(filesOf(zip).filter((name) => NOT_SHIPPED.test(name))).toEqual([]);
  });

  it('is the build as it stands', async () => {
    const build = join(ROOT, '.output', `${browser}-mv3`);
    expect(filesOf(zip)).toEqual(await filesUnder(build));
  });

  it('is as big as the README says', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const stated = new RegExp(
      `${browser === 'chrome' ? 'Chrome Web Store' : 'addons\\.mozilla\\.org'} upload[^(]*\\(about ([\\d.]+) MB`,
      'i',
    ).exec(readme);
    expect(stated, 'README.md states the size of each upload').not.toBeNull();
    const megabytes = (await stat(zipPath(browser))).size / 1e6;
    expect(
      Math.abs(megabytes - Number(stated![1])) / megabytes,
      `the ${browser} zip is ${megabytes.toFixed(1)} MB: update README.md`,
    ).toBeLessThan(0.05);
  });
});

describe('the Firefox sources upload', () => {
  let sources: JSZip;
  let dir: string;
  beforeAll(async () => {
    sources = await openZip('sources');
    dir = await mkdtemp(join(tmpdir(), 'video-to-mp3-sources-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('holds the sources without tests, fixtures, dependencies or dotfiles', () => {
    const names = filesOf(sources);
    expect(names).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'wxt.config.ts', 'README.md']));
    expect(names.filter((name) => NOT_SHIPPED.test(name))).toEqual([]);
  });

  // addons.mozilla.org reviewers build it themselves: it must give the very files of the upload.
  it('builds into exactly the Firefox upload', { timeout: 120_000 }, async () => {
    await unzipTo(sources, dir);
    // What `npm ci` would install, without going to the registry.
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    // As a reviewer's shell runs it: vitest's NODE_ENV=test would make a different React build.
    const { NODE_ENV: _, ...env } = process.env;
    await run('npx', ['wxt', 'build', '-b', 'firefox', '--mv3'], { cwd: dir, env });
    const upload = await openZip('firefox');
    const built = join(dir, '.output', 'firefox-mv3');
    expect(await filesUnder(built)).toEqual(filesOf(upload));
    for (const name of filesOf(upload)) {
      expect(
        Buffer.compare(await readFile(join(built, name)), await upload.file(name)!.async('nodebuffer')),
        name,
      ).toBe(0);
    }
  });
});

describe('web-ext lint of the Firefox upload', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'video-to-mp3-xpi-'));
    await unzipTo(await openZip('firefox'), dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // Its warnings, and why each is acceptable, are checked on the same files in tests/firefox/.
  it('finds no errors', { timeout: 60_000 }, async () => {
    const result = await webExt.cmd.lint({ sourceDir: dir, output: 'none' }, { shouldExitProgram: false });
    expect(result.errors.map((message) => `${message.code} in ${message.file ?? '?'}: ${message.message}`)).toEqual([]);
  });
});
