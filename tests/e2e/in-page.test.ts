import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Frame, Locator, Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { completedRow, fixturePath } from './helpers/popup';
import { startTestSite } from './helpers/test-site';

const extractButton = (scope: Page | Frame): Locator => scope.getByRole('button', { name: 'Extract MP3', exact: true });

describe('the in-page Extract MP3 button', () => {
  let session: ExtensionSession;
  let site: Awaited<ReturnType<typeof startTestSite>>;
  let page: Page;

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });
  afterEach(async () => {
    await page?.close();
  });

  async function visit(path: string): Promise<Page> {
    page = await session.context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(`${site.url}${path}`);
    return page;
  }

  it('sits on a video without moving the page, converts it, and the MP3 shows in the popup', async () => {
    await visit('/video.html');
    const video = page.locator('video');
    const before = await page.locator('p').last().boundingBox();
    await expect.poll(() => extractButton(page).count()).toBe(1);
    expect(await page.locator('p').last().boundingBox()).toEqual(before);
    const [videoBox, buttonBox] = [await video.boundingBox(), await extractButton(page).boundingBox()];
    expect(buttonBox!.x).toBeGreaterThanOrEqual(videoBox!.x);
    expect(buttonBox!.x + buttonBox!.width).toBeLessThanOrEqual(videoBox!.x + videoBox!.width);
    expect(buttonBox!.y).toBeGreaterThanOrEqual(videoBox!.y);
    await page.screenshot({ path: 'docs/in-page.png', clip: { x: 0, y: 0, width: 420, height: 320 } });

    await extractButton(page).click();
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000));
    expect(mp3).toMatchObject({ sampleRate: 48_000, channels: 2, bitrateKbps: 192 });
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Saved clip.mp3');
    const popup = await session.openPopup();
    await expect.poll(() => completedRow(popup, 'clip.mp3').count()).toBe(1);
    await popup.close();
  });

  it('is reachable by keyboard', async () => {
    await visit('/video.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await extractButton(page).focus();
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe('video-to-mp3-extract');
  });

  it('shows the progress on the button itself, as an accessible progress bar', async () => {
    await visit('/long-video.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await extractButton(page).click();
    const bar = page.getByRole('progressbar', { name: 'Extracting MP3' });
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow').catch(() => 0)), {
        timeout: 30_000,
        interval: 50,
      })
      .toBeGreaterThan(0);
    // The web video is downloaded first, then converted: either phase shows its percentage.
    expect(await extractButton(page).innerText()).toMatch(/(Downloading|Extracting)… \d+%/);
    await session.waitForDownload('long.mp3', 120_000);
  });

  it('stays with a player shown fullscreen, and steps aside when the video itself is fullscreen', async () => {
    await visit('/fullscreen.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await page.locator('#player-fs').click();
    await expect
      .poll(() => page.evaluate(() => !!document.fullscreenElement?.querySelector('video-to-mp3-extract')))
      .toBe(true);
    expect(await extractButton(page).isVisible()).toBe(true);
    await page.evaluate(() => document.exitFullscreen());
    await page.locator('#video-fs').click();
    await expect.poll(() => extractButton(page).isVisible()).toBe(false);
    await page.evaluate(() => document.exitFullscreen());
    await expect.poll(() => extractButton(page).isVisible()).toBe(true);
  });

  it('leaves videos smaller than 160×90 alone', async () => {
    await visit('/small-video.html');
    await page.waitForTimeout(1500);
    expect(await extractButton(page).count()).toBe(0);
  });

  it('follows a video added after the page loaded, and converts it', async () => {
    await visit('/late-video.html');
    await expect.poll(() => extractButton(page).count(), { timeout: 10_000 }).toBe(1);
    await extractButton(page).click();
    expect((await analyzeMp3(await session.waitForDownload('opus-48k.mp3', 60_000))).sampleRate).toBe(48_000);
  });

  it('removes the button when its video is removed', async () => {
    await visit('/video.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await page.evaluate(() => document.querySelector('video')?.remove());
    await expect.poll(() => extractButton(page).count()).toBe(0);
  });

  it('converts the files chosen in an upload field before anything is uploaded; the field keeps its files', async () => {
    await visit('/file-input.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    const button = extractButton(page);
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await button.getAttribute('title')).toMatch(/Choose a video/);
    await page.locator('#video').setInputFiles(fixturePath('flac-48k.mkv'));
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('false');
    await button.click();
    expect((await analyzeMp3(await session.waitForDownload('flac-48k.mp3', 60_000))).channels).toBe(2);
    expect(await page.locator('#video').evaluate((input: HTMLInputElement) => input.files?.[0]?.name)).toBe(
      'flac-48k.mkv',
    );
  });

  it('reads a video the page made from a Blob', async () => {
    await visit('/blob-video.html');
    await expect.poll(() => page.title()).toBe('Blob clip');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await extractButton(page).click();
    expect((await analyzeMp3(await session.waitForDownload('Blob clip.mp3', 60_000))).sampleRate).toBe(44_100);
  });

  it('says plainly why a MediaSource stream with no playlist it can follow cannot be saved, and what to do', async () => {
    await visit('/mediasource.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await extractButton(page).click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(/streamed in pieces.*no HLS or DASH playlist.*download the video itself.*popup/);
  });

  it('explains a site that refuses the download', async () => {
    await visit('/refused.html');
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await extractButton(page).click();
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 30_000 })
      .toMatch(
        /would not let the extension download “clip\.mp4”.*Download the video.*drop the file on the extension.s popup/,
      );
  });

  it('works on a video inside an iframe', async () => {
    await visit('/iframe.html');
    const frame = page.frames().find((candidate) => candidate.url().endsWith('/video.html'))!;
    await expect.poll(() => extractButton(frame).count()).toBe(1);
    await extractButton(frame).click();
    await session.waitForDownload('clip (1).mp3', 60_000);
  });

  it('ignores clicks a page script makes on the button', async () => {
    const storedJobsAndHistory = () =>
      session.serviceWorker.evaluate(() => chrome.storage.local.get(['jobs', 'history']));
    const before = await storedJobsAndHistory();
    await visit('/hostile.html');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { clicks: number }).clicks), { timeout: 10_000 })
      .toBeGreaterThan(10);
    expect(await storedJobsAndHistory()).toEqual(before);
  });
});
