import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3, sourceAudioSeconds } from './helpers/mp3';
import { beepOnsets, makeLiveStream } from './helpers/live-stream';
import { startTestSite, type TestSite } from './helpers/test-site';

const TOLERANCE_SECONDS = 0.05;
const extractButton = (scope: Page): Locator => scope.getByRole('button', { name: /^(Extract MP3|Recording…)/ });

/**
 * The recording is a stretch of the stream, starting wherever the extension joined it: its beeps must be
 * the stream's, all shifted by one same offset (a beep cut by the start is left out). Returns the offset.
 */
function expectStretchOf(streamOnsets: number[], recordedOnsets: number[]): number {
  const whole = recordedOnsets.filter((onset) => onset > 0.2);
  expect(whole.length).toBeGreaterThanOrEqual(2);
  const offsets = streamOnsets.map((onset) => onset - whole[0]!);
  const offset = offsets.find((candidate) =>
    whole.every((onset) => streamOnsets.some((source) => Math.abs(source - candidate - onset) < TOLERANCE_SECONDS)),
  );
  expect(offset, `recorded beeps ${whole.join(', ')} are not a stretch of ${streamOnsets.join(', ')}`).toBeDefined();
  return offset!;
}

describe('live streams (recording)', () => {
  let session: ExtensionSession;
  let site: TestSite;
  let page: Page;
  let streamOnsets: number[];
  let streamSeconds: number;
  let dashOnsets: number[];
  let dashSeconds: number;

  beforeAll(async () => {
    const dir = await makeLiveStream(join(inject('fixturesDir'), 'streams'));
    streamOnsets = await beepOnsets(join(dir, 'index.m3u8'));
    streamSeconds = await sourceAudioSeconds(join(dir, 'index.m3u8'));
    dashOnsets = await beepOnsets(join(dir, 'dash', 'manifest.mpd'));
    dashSeconds = await sourceAudioSeconds(join(dir, 'dash', 'manifest.mpd'));
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

  /** Starts recording the page's video; resolves once the button shows at least `seconds` recorded, with Stop. */
  async function recordOn(path: string, seconds: number): Promise<void> {
    page = await session.context.newPage();
    await page.goto(`${site.url}${path}`);
    await expect.poll(() => extractButton(page).count()).toBe(1);
    await extractButton(page).click();
    await expect
      .poll(
        async () => {
          const label = (await extractButton(page).innerText()).trim();
          const time = /^Recording… (\d+):(\d\d)$/.exec(label);
          return time ? Number(time[1]) * 60 + Number(time[2]) : -1;
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(seconds);
    await expect.poll(() => page.getByRole('button', { name: 'Stop', exact: true }).isVisible()).toBe(true);
  }

  async function expectRecording(
    mp3Name: string,
    onsets = streamOnsets,
  ): Promise<{ offset: number; durationSeconds: number }> {
    const path = await session.waitForDownload(mp3Name, 60_000);
    const mp3 = await analyzeMp3(path);
    expect(mp3).toMatchObject({ sampleRate: 48_000, channels: 2, bitrateKbps: 192 });
    expect(mp3.titleTag).toBe(mp3Name.replace(/\.mp3$/, ''));
    const offset = expectStretchOf(onsets, await beepOnsets(path));
    return { offset, durationSeconds: mp3.durationSeconds };
  }

  it('records a live stream from the click until it ends, then saves the MP3', async () => {
    await recordOn('/live-ends.html', 1);
    const { offset, durationSeconds } = await expectRecording('Morning show.mp3');
    // The stream grew while it was recorded (the playlist was read again and again), and the MP3 runs to its end.
    expect(site.extensionRequests.filter((request) => request === '/live/ends/index.m3u8').length).toBeGreaterThan(3);
    expect(Math.abs(offset + durationSeconds - streamSeconds)).toBeLessThan(TOLERANCE_SECONDS);
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Saved Morning show.mp3 to your downloads.');
  });

  it('stops recording at Stop and saves what was recorded', async () => {
    await recordOn('/live-stop.html', 3);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const { durationSeconds } = await expectRecording('Night show.mp3');
    expect(durationSeconds).toBeGreaterThan(3 - TOLERANCE_SECONDS);
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Saved Night show.mp3 to your downloads.');
  });

  it('records a live DASH stream (a dynamic MPD) from the click until it turns static, then saves the MP3', async () => {
    await recordOn('/live-dash-ends.html', 1);
    const { offset, durationSeconds } = await expectRecording('Evening show.mp3', dashOnsets);
    expect(
      site.extensionRequests.filter((request) => request === '/live-dash/ends/manifest.mpd').length,
    ).toBeGreaterThan(3);
    expect(Math.abs(offset + durationSeconds - dashSeconds)).toBeLessThan(TOLERANCE_SECONDS);
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Saved Evening show.mp3 to your downloads.');
  });

  it('stops recording a live DASH stream at Stop and saves what was recorded', async () => {
    await recordOn('/live-dash-stop.html', 3);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const { durationSeconds } = await expectRecording('Late show.mp3', dashOnsets);
    expect(durationSeconds).toBeGreaterThan(3 - TOLERANCE_SECONDS);
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Saved Late show.mp3 to your downloads.');
  });

  it('saves what it got, once, when the recording is cut off, and says it stopped early', async () => {
    await recordOn('/live-cut.html', 3);
    // The conversion site goes, as when the browser quits: the job starts again and keeps the recording.
    await session.serviceWorker.evaluate(() => chrome.offscreen.closeDocument());
    const { durationSeconds } = await expectRecording('Cut short.mp3');
    // A part is stored every 2 s of sound, before the button shows it: 3 s shown means 2 s kept.
    expect(durationSeconds).toBeGreaterThan(2 - TOLERANCE_SECONDS);
    await expect
      .poll(() => page.getByRole('status').innerText(), { timeout: 30_000 })
      .toMatch(/^Saved Cut short\.mp3 to your downloads\. The recording stopped early/);
    const popup = await session.openPopup();
    await expect.poll(() => popup.getByText('recording stopped early').count()).toBe(1);
    await popup.close();
    expect((await readdir(session.downloadsDir)).filter((name) => name.startsWith('Cut short'))).toEqual([
      'Cut short.mp3',
    ]);
  });
});
