import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeMp3 } from '../e2e/helpers/mp3';
import { startTestSite } from '../e2e/helpers/test-site';
import type { MenuClick } from '../../utils/jobs/context-menu';
import { Firefox, type FirefoxTab } from './helpers/firefox';
import { fixturePath, rowText } from './helpers/popup';

const BUTTON = 'video-to-mp3-extract >>> button';

/** The in-page button's state, as the page's user sees it: null until it is mounted. */
function buttonState() {
  const root = document.querySelector('video-to-mp3-extract')?.shadowRoot;
  const button = root?.querySelector('button');
  if (!root || !button) return null;
  const text = (role: string) => root.querySelector<HTMLElement>(`[role=${role}]:not([hidden])`)?.innerText;
  return {
    name: button.getAttribute('aria-label'),
    disabled: button.getAttribute('aria-disabled'),
    title: button.title,
    status: text('status') ?? null,
    alert: text('alert') ?? null,
  };
}

describe('the in-page Extract MP3 button and the context menu, in Firefox', () => {
  let firefox: Firefox;
  let site: Awaited<ReturnType<typeof startTestSite>>;
  let page: FirefoxTab | undefined;

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    firefox = await Firefox.launch();
  });
  afterAll(async () => {
    await firefox?.close();
    await site?.close();
  });

  async function visit(path: string): Promise<FirefoxTab> {
    await page?.close();
    page = await firefox.openPage(`${site.url}${path}`);
    return page;
  }

  it('on a video: converts it, says so next to the button, and the MP3 shows in the popup', async () => {
    const tab = await visit('/video.html');
    expect(await tab.waitFor('the button', buttonState, [])).toMatchObject({ name: 'Extract MP3' });
    await tab.click(BUTTON);
    const mp3 = await analyzeMp3(await firefox.waitForDownload('clip.mp3', 60_000));
    expect(mp3).toMatchObject({ sampleRate: 48_000, channels: 2, bitrateKbps: 192 });
    expect(Math.abs(mp3.onsetSeconds - 0.25)).toBeLessThan(0.002);
    const status = await tab.waitFor(
      'the saved note',
      () =>
        document
          .querySelector('video-to-mp3-extract')
          ?.shadowRoot?.querySelector<HTMLElement>('[role=status]:not([hidden])')?.innerText,
      [],
    );
    expect(status).toContain('Saved clip.mp3');
    const popup = await firefox.openExtensionPage('popup.html');
    expect(await popupRow(popup, 'clip.mp3')).toMatch(/0:03/);
    await popup.close();
  });

  it('on a file input: disabled until a video is chosen, then hands the page’s file over', async () => {
    const tab = await visit('/file-input.html');
    const before = await tab.waitFor('the button', buttonState, []);
    expect(before).toMatchObject({ name: 'Extract MP3', disabled: 'true' });
    expect(before?.title).toMatch(/Choose a video/);
    await tab.setFiles('#video', [fixturePath('flac-48k.mkv')]);
    await tab.waitFor(
      'the button to be enabled',
      () =>
        document
          .querySelector('video-to-mp3-extract')
          ?.shadowRoot?.querySelector('button')
          ?.getAttribute('aria-disabled') === 'false',
      [],
    );
    await tab.click(BUTTON);
    const mp3 = await analyzeMp3(await firefox.waitForDownload('flac-48k.mp3', 60_000));
    expect(mp3).toMatchObject({ sampleRate: 48_000, channels: 2 });
    expect(Math.abs(mp3.onsetSeconds - 0.25)).toBeLessThan(0.002);
  });

  it('on a video the page made from a Blob: the page hands it over', async () => {
    const tab = await visit('/blob-video.html');
    await tab.waitFor('the blob video', () => document.title === 'Blob clip', []);
    await tab.waitFor('the button', buttonState, []);
    await tab.click(BUTTON);
    expect((await analyzeMp3(await firefox.waitForDownload('Blob clip.mp3', 60_000))).sampleRate).toBe(44_100);
  });

  /** Calls the handler Firefox calls on a menu click (a real context menu can't be opened headless). */
  async function clickMenu(path: string, info: (tab: FirefoxTab) => Promise<MenuClick>): Promise<void> {
    const tab = await visit(path);
    const click = await info(tab);
    const popup = await firefox.openExtensionPage('popup.html');
    // The page's tab is the newest but the popup's (tabs.query({ url }) would need the "tabs" permission).
    await popup.run(async (click) => {
      const own = await browser.tabs.getCurrent();
      const tabs = (await browser.tabs.query({})).filter((tab) => tab.id !== own?.id);
      const pageTab = tabs.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)).at(-1);
      const background = (await browser.runtime.getBackgroundPage()) as unknown as {
        onContextMenuClick: (info: unknown, tab: unknown) => Promise<void>;
      };
      await background.onContextMenuClick(click, pageTab);
    }, click);
    await popup.close();
  }

  it('context menu on a video with a web address: downloads and converts it', async () => {
    await clickMenu('/video.html', async () => ({
      menuItemId: 'extract-mp3-video',
      srcUrl: `${site.url}/media/opus-48k.webm`,
      frameId: 0,
    }));
    expect((await analyzeMp3(await firefox.waitForDownload('opus-48k.mp3', 60_000))).sampleRate).toBe(48_000);
  });

  it('context menu on a link to a video file: converts the linked file', async () => {
    await clickMenu('/link.html', async () => ({
      menuItemId: 'extract-mp3-link',
      linkUrl: `${site.url}/media/mp3-44k.avi`,
      frameId: 0,
    }));
    expect((await analyzeMp3(await firefox.waitForDownload('mp3-44k.mp3', 60_000))).sampleRate).toBe(44_100);
  });

  it('context menu on a Blob video: the page hands it over, as with the button', async () => {
    await firefox.waitForDownload('Blob clip.mp3');
    await clickMenu('/blob-video.html', async (tab) => {
      await tab.waitFor('the blob video', () => document.title === 'Blob clip', []);
      await tab.waitFor('the button', buttonState, []);
      const srcUrl = await tab.run(() => document.querySelector('video')!.src);
      expect(srcUrl).toMatch(/^blob:/);
      return { menuItemId: 'extract-mp3-video', srcUrl, frameId: 0 };
    });
    expect((await analyzeMp3(await firefox.waitForDownload('Blob clip(1).mp3', 60_000))).channels).toBe(2);
  });
});

async function popupRow(popup: FirefoxTab, name: string): Promise<string | null> {
  for (let tries = 0; tries < 50; tries++) {
    const text = await rowText(popup, 'completed', name);
    if (text) return text;
    await new Promise((done) => setTimeout(done, 200));
  }
  return null;
}
