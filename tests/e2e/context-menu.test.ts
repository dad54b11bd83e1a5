import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { startTestSite } from './helpers/test-site';
import type { MenuClick } from '../../utils/jobs/context-menu';

describe('Extract MP3 in the context menu', () => {
  let session: ExtensionSession;
  let site: Awaited<ReturnType<typeof startTestSite>>;

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  /** Calls the handler the browser calls on a menu click, with what Chrome passes for that click. */
  async function clickMenu(pagePath: string, clickOn: (page: Page) => Promise<MenuClick>): Promise<void> {
    const page = await session.context.newPage();
    await page.goto(`${site.url}${pagePath}`);
    const info = await clickOn(page);
    await session.serviceWorker.evaluate(
      async ({ info, url }) => {
        const [tab] = await chrome.tabs.query({ url });
        await (
          globalThis as unknown as { onContextMenuClick: (info: unknown, tab: unknown) => Promise<void> }
        ).onContextMenuClick(info, tab);
      },
      { info, url: page.url() },
    );
  }

  it('on a video with a web address: downloads and converts it', async () => {
    await clickMenu('/video.html', async () => ({
      menuItemId: 'extract-mp3-video',
      srcUrl: `${site.url}/media/clip.mp4`,
      frameId: 0,
    }));
    expect((await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000))).sampleRate).toBe(48_000);
  });

  it('on a link to a video file: converts the linked file', async () => {
    await clickMenu('/link.html', async () => ({
      menuItemId: 'extract-mp3-link',
      linkUrl: `${site.url}/media/flac-48k.mkv`,
      frameId: 0,
    }));
    expect((await analyzeMp3(await session.waitForDownload('flac-48k.mp3', 60_000))).channels).toBe(2);
  });

  it('on a video the page made from a Blob: the page hands it over, as with the button', async () => {
    await clickMenu('/blob-video.html', async (page) => {
      await expect.poll(() => page.title()).toBe('Blob clip');
      await expect.poll(() => page.getByRole('button', { name: 'Extract MP3' }).count()).toBe(1);
      const srcUrl = await page.locator('video').evaluate((video: HTMLVideoElement) => video.currentSrc || video.src);
      expect(srcUrl).toMatch(/^blob:/);
      return { menuItemId: 'extract-mp3-video', srcUrl, frameId: 0 };
    });
    expect((await analyzeMp3(await session.waitForDownload('Blob clip.mp3', 60_000))).sampleRate).toBe(44_100);
  });
});
