import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, completedRow, fixturePath } from './helpers/popup';
import { mp3NameFor } from '../../utils/file-names';
import { formatDuration } from '../../utils/format';

// long.mp4 (4 min) is encoded as several segments in parallel, so its timing checks cover the joins too.
const goodClips = inject('fixtures').filter((clip) => clip.expect.ok);
/**
 * Clips whose last frame's padding stays (under one frame of silence): Matroska marks it with DiscardPadding,
 * which mediabunny doesn't read.
 */
const paddingKept = new Set(['mp3-mono-32k.mkv']);

describe('a batch of videos chosen in the popup', () => {
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
    await popup.setViewportSize({ width: 400, height: 560 });
    await chooseVideos(
      popup,
      goodClips.map((clip) => clip.name),
    );
  });
  afterAll(() => session?.close());

  it.each(goodClips)(
    '$name becomes an MP3 with its rate, channels, 192 kbps CBR, duration and timing',
    async (clip) => {
      if (!clip.expect.ok) throw new Error('not a good clip');
      const mp3 = await analyzeMp3(await session.waitForDownload(mp3NameFor(clip.name), 120_000));
      expect(mp3).toMatchObject({
        codec: 'mp3',
        sampleRate: clip.expect.sampleRate,
        channels: clip.expect.channels,
        bitrateKbps: 192,
        titleTag: clip.name.replace(/\.[^.]+$/, ''),
      });
      // Sample exact: the sound starts and stops where the source's does, and nothing is added after it.
      expect(Math.abs(mp3.onsetSeconds - clip.expect.onsetSeconds)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(mp3.endOfSoundSeconds - clip.expect.endOfSoundSeconds)).toBeLessThanOrEqual(0.001);
      const allowedExtra = paddingKept.has(clip.name) ? 1152 / clip.expect.sampleRate : 0.001;
      expect(mp3.durationSeconds - clip.expect.sourceAudioSeconds).toBeLessThan(allowedExtra);
    },
  );

  it('lists every MP3 under Completed downloads, newest first, with size and duration', async () => {
    const completed = popup.getByRole('region', { name: 'Completed downloads' }).getByRole('listitem');
    await expect.poll(() => completed.count(), { timeout: 30_000 }).toBe(goodClips.length);
    const history = (await session.serviceWorker.evaluate(() => chrome.storage.local.get('history'))).history as {
      fileName: string;
      completedAt: number;
      durationSeconds: number;
    }[];
    const newestFirst = [...history].sort((a, b) => b.completedAt - a.completedAt).map((entry) => entry.fileName);
    expect(await completed.evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')))).toEqual(
      newestFirst,
    );

    const clipEntry = completedRow(popup, 'clip.mp3');
    await expect.poll(() => clipEntry.innerText()).toMatch(/\d+(\.\d)? kB · 0:03/);
    expect(formatDuration(history.find((entry) => entry.fileName === 'clip.mp3')!.durationSeconds)).toBe('0:03');
    await expect.poll(() => popup.getByRole('region', { name: 'Jobs' }).count()).toBe(0);
    await popup.screenshot({ path: 'docs/popup.png' });
  });

  it('downloads a stored MP3 again, byte for byte, under a new name', async () => {
    await completedRow(popup, 'clip.mp3').getByRole('button', { name: 'Download again' }).click();
    const again = await session.waitForDownload('clip (1).mp3');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(again)).toEqual(await readFile(await session.waitForDownload('clip.mp3')));
  });

  it('converts a video dropped onto the popup', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = [...(await readFile(fixturePath('vorbis-44k.webm')))];
    const dataTransfer = await popup.evaluateHandle((data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'dropped clip.webm', { type: 'video/webm' }));
      return transfer;
    }, bytes);
    await popup.dispatchEvent('.drop-zone', 'dragover', { dataTransfer });
    await popup.dispatchEvent('.drop-zone', 'drop', { dataTransfer });
    const mp3 = await analyzeMp3(await session.waitForDownload('dropped clip.mp3'));
    expect(mp3).toMatchObject({ sampleRate: 44_100, channels: 2, titleTag: 'dropped clip' });
  });

  it('shows a completed MP3 in its folder without an error', async () => {
    const row = completedRow(popup, 'clip.mp3');
    await row.getByRole('button', { name: 'Show in folder' }).click();
    await popup.waitForTimeout(500);
    await expect.poll(() => row.getByRole('alert').count()).toBe(0);
  });
});
