import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';

const run = promisify(execFile);
const SECONDS = 220;
const TONE = { from: 190, to: 191 };

describe('a video bigger than one stored part (32 MB)', () => {
  let session: ExtensionSession;
  let folder: string;
  let video: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'video-to-mp3-big-'));
    video = join(folder, 'big talk.mov');
    // 220 s of 48 kHz stereo PCM is about 42 MB: two parts. Silence with one tone in the second part, so parts
    // stored or read back in the wrong order would move it.
    const tone = `if(between(t,${TONE.from},${TONE.to}),0.5*sin(2*PI*440*t),0)`;
    await run('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `aevalsrc=exprs='${tone}|${tone}':s=48000:d=${SECONDS}`,
      '-c:a',
      'pcm_s16le',
      video,
    ]);
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('shows how far its copy has got, in parts, and converts it whole, in order', async () => {
    const popup = await session.openPopup();
    await popup.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { addingProgress: number[] }).addingProgress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"][aria-label^="Adding"]');
        const value = Number(bar?.getAttribute('aria-valuenow') ?? Number.NaN);
        if (!Number.isNaN(value) && seen.at(-1) !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await popup.getByLabel('Choose video').setInputFiles(video);

    const mp3 = await analyzeMp3(await session.waitForDownload('big talk.mp3', 120_000));
    expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: 48_000, channels: 2 });
    expect(Math.abs(mp3.durationSeconds - SECONDS)).toBeLessThan(0.001);
    expect(Math.abs(mp3.onsetSeconds - TONE.from)).toBeLessThan(0.001);
    expect(Math.abs(mp3.endOfSoundSeconds - TONE.to)).toBeLessThan(0.001);

    const seen = await popup.evaluate(() => (window as unknown as { addingProgress: number[] }).addingProgress);
    expect(seen.some((percent) => percent > 0 && percent < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expect.poll(() => popup.getByRole('progressbar', { name: /^Adding/ }).count()).toBe(0);
  });
});
