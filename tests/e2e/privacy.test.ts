import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startNemoVideoServer, type NemoVideoServer } from '../cloud-server/server';
import { BUILT_EXTENSION, launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { changeSettings } from './helpers/options';
import { chooseVideos } from './helpers/popup';
import { startRecordingProxy } from './helpers/recording-proxy';
import { startTestSite } from './helpers/test-site';

// docs/privacy.md promises: nothing leaves the machine with the local engine but the videos the user
// asks for, and with the cloud engine only NemoVideo is reached. Every request Chromium makes goes
// through a proxy that writes it down.
/**
 * Chromium's own services, which it reaches by itself whatever the extension does (sign-in checks).
 * The extension can't be what asks for them: no file of its package names them (checked below).
 */
const BROWSER_OWN = ['accounts.google.com'];
/** The browser asks each page it showed for its favicon by itself, sometimes after the test that opened it. */
const isFavicon = (request: string) => /^GET \S+\/favicon\.ico$/.test(request);
const ofTheExtension = (requests: string[]) =>
  requests.filter((request) => !isFavicon(request) && !BROWSER_OWN.some((host) => request === `CONNECT ${host}:443`));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('what leaves the machine', () => {
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let site: Awaited<ReturnType<typeof startTestSite>>;
  let cloud: NemoVideoServer;
  let session: ExtensionSession;

  beforeAll(async () => {
    proxy = await startRecordingProxy();
    site = await startTestSite(inject('fixturesDir'));
    cloud = await startNemoVideoServer();
    session = await launchExtension({ extraArgs: proxy.chromiumArgs });
  });
  afterAll(async () => {
    await session?.close();
    await Promise.all([site?.close(), cloud?.close(), proxy?.close()]);
  });
  beforeEach(() => {
    proxy.requests.length = 0;
  });

  it('goes through the proxy, so nothing passes unseen', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.url}/video.html`);
    expect(proxy.requests).toContain(`GET ${site.url}/video.html`);
    await page.close();
  });

  it("leaves out only the browser's own services, which the extension never names", () => {
    for (const file of filesUnder(BUILT_EXTENSION)) {
      const text = readFileSync(file, 'latin1');
      for (const host of BROWSER_OWN) expect(text.includes(host), `${file} names ${host}`).toBe(false);
    }
  });

  it('a conversion from the popup sends nothing at all', async () => {
    const popup = await session.openPopup();
    await chooseVideos(popup, ['clip.mp4']);
    expect((await analyzeMp3(await session.waitForDownload('clip.mp3'))).codec).toBe('mp3');
    await popup.close();
    expect(ofTheExtension(proxy.requests)).toEqual([]);
  });

  it('an in-page conversion fetches only the page and its video', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.url}/video.html`);
    await page.getByRole('button', { name: 'Extract MP3', exact: true }).click();
    expect((await analyzeMp3(await session.waitForDownload('clip (1).mp3'))).codec).toBe('mp3');
    await page.close();
    // The page loads itself and its video; the extension downloads the same video.
    const allowed = new Set(['/video.html', '/media/clip.mp4'].map((path) => `GET ${site.url}${path}`));
    expect(ofTheExtension(proxy.requests).filter((request) => !allowed.has(request))).toEqual([]);
    expect(proxy.requests.filter((request) => request === `GET ${site.url}/media/clip.mp4`).length).toBeGreaterThan(0);
  });

  it('with the NemoVideo engine, only the NemoVideo address is reached', async () => {
    await changeSettings(session, { cloudBaseUrl: cloud.url, engine: 'cloud' });
    proxy.requests.length = 0;
    const popup = await session.openPopup();
    await chooseVideos(popup, ['vorbis-44k.webm']);
    expect((await analyzeMp3(await session.waitForDownload('vorbis-44k.mp3', 90_000))).codec).toBe('mp3');
    await popup.close();
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(
      ofTheExtension(proxy.requests).filter((request) => !request.split(' ')[1]!.startsWith(`${cloud.url}/`)),
    ).toEqual([]);
  });
});
