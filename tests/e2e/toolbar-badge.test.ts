import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { startHeldVideos } from './helpers/held-videos';

/**
 * What the toolbar button shows, read through the extension's own action API from its settings page
 * (any extension page may; the popup would clear the marks by opening), with no tab: as on every tab.
 */
async function toolbar(session: ExtensionSession): Promise<{ text: string; title: string }> {
  const page = reader.get(session) ?? (await session.context.newPage());
  if (!reader.has(session)) {
    reader.set(session, page);
    await page.goto(`chrome-extension://${session.extensionId}/options.html`);
  }
  return page.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
  }));
}
const reader = new Map<ExtensionSession, Page>();

/** The context menu's Extract MP3 on a video at `url`, the way a click calls it. */
async function extractFromMenu(session: ExtensionSession, url: string): Promise<void> {
  await session.serviceWorker.evaluate(
    (srcUrl) =>
      (
        globalThis as unknown as { onContextMenuClick: (info: unknown, tab: unknown) => Promise<void> }
      ).onContextMenuClick({ menuItemId: 'extract-mp3-video', srcUrl, frameId: 0 }, undefined),
    url,
  );
}

describe('the toolbar badge', () => {
  let videos: Awaited<ReturnType<typeof startHeldVideos>>;

  beforeAll(async () => {
    videos = await startHeldVideos(inject('fixturesDir'));
  });
  afterAll(() => videos?.close());

  describe('in English', () => {
    let session: ExtensionSession;
    beforeAll(async () => {
      session = await launchExtension();
    });
    afterAll(() => session?.close());

    it('starts empty, titled with the name', async () => {
      expect(await toolbar(session)).toEqual({ text: '', title: 'Video to MP3' });
    });

    it('counts the jobs in progress', async () => {
      await extractFromMenu(session, `${videos.url}/held/clip.mp4`);
      await extractFromMenu(session, `${videos.url}/held/vorbis-44k.webm`);
      await expect.poll(() => toolbar(session)).toEqual({ text: '2', title: 'Video to MP3: converting 2 videos' });
    });

    it('counts down as MP3s land, then ticks once the last one has', async () => {
      await expect.poll(() => videos.requested('clip.mp4')).toBe(true);
      videos.release('clip.mp4');
      await analyzeMp3(await session.waitForDownload('clip.mp3'));
      await expect.poll(() => toolbar(session)).toEqual({ text: '1', title: 'Video to MP3: converting 1 video' });

      await expect.poll(() => videos.requested('vorbis-44k.webm')).toBe(true);
      videos.release('vorbis-44k.webm');
      const mp3 = await analyzeMp3(await session.waitForDownload('vorbis-44k.mp3'));
      expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: 44_100 });
      await expect.poll(() => toolbar(session)).toEqual({ text: '✓', title: 'Video to MP3: saved vorbis-44k.mp3' });
    });

    it('lets the tick go by itself', async () => {
      await expect.poll(() => toolbar(session), { timeout: 30_000 }).toEqual({ text: '', title: 'Video to MP3' });
    });

    it('marks a failure until the popup is opened', async () => {
      await extractFromMenu(session, `${videos.url}/refused/clip.mp4`);
      await expect
        .poll(() => toolbar(session))
        .toEqual({ text: '!', title: 'Video to MP3: 1 video failed, open the popup to see why' });
      // Still there after the worker stops: the badge follows the stored jobs, not the worker's memory.
      await session.stopServiceWorker();
      await session.context
        .newPage()
        .then((page) => page.goto(`chrome-extension://${session.extensionId}/options.html`));
      await expect.poll(() => toolbar(session)).toMatchObject({ text: '!' });

      const popup = await session.openPopup();
      await expect.poll(() => toolbar(session)).toEqual({ text: '', title: 'Video to MP3' });
      await expect.poll(() => popup.getByRole('alert').count()).toBe(1);
      await popup.close();
    });

    it('is the same on every tab', async () => {
      await extractFromMenu(session, `${videos.url}/refused/clip.mp4`);
      await expect.poll(async () => (await toolbar(session)).text).toBe('!');
      const page = await session.context.newPage();
      await page.goto(`${videos.url}/refused/x`);
      const tabIds = await reader
        .get(session)!
        .evaluate(async () => (await chrome.tabs.query({})).flatMap((tab) => (tab.id === undefined ? [] : [tab.id])));
      const perTab = await reader
        .get(session)!
        .evaluate((ids) => Promise.all(ids.map((tabId) => chrome.action.getBadgeText({ tabId }))), tabIds);
      expect(perTab.length).toBeGreaterThan(1);
      expect(new Set(perTab)).toEqual(new Set(['!']));
      await page.close();
    });
  });

  describe('in Chinese', () => {
    let session: ExtensionSession;
    beforeAll(async () => {
      session = await launchExtension({ lang: 'zh-CN' });
    });
    afterAll(() => session?.close());

    it('says it in Chinese', async () => {
      expect(await toolbar(session)).toEqual({ text: '', title: '视频转 MP3' });
      await extractFromMenu(session, `${videos.url}/held/long.mp4`);
      await expect.poll(() => toolbar(session)).toEqual({ text: '1', title: '视频转 MP3：正在转换 1 个视频' });
      await extractFromMenu(session, `${videos.url}/refused/clip.mp4`);
      await expect
        .poll(() => toolbar(session))
        .toEqual({ text: '1', title: '视频转 MP3：正在转换 1 个视频；1 个视频转换失败，打开弹出窗口查看原因' });
      videos.release('long.mp4');
    });
  });
});
