import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMono } from '../../scripts/make-fixtures';
import { mp3NameFor } from '../../utils/file-names';
import { analyzeMp3 } from '../e2e/helpers/mp3';
import { Firefox, type FirefoxTab } from './helpers/firefox';
import { readFile } from 'node:fs/promises';
import { chooseVideos, clickRowButton, fixture, fixturePath, rowText, waitForAlert } from './helpers/popup';

const run = promisify(execFile);

/** One clip of each way the local engine reads: AAC from a sample table, mediabunny, ffmpeg.wasm (AC-3). */
const CLIPS = ['clip.mp4', 'aac-mono-44k.mov', 'opus-48k.webm', 'ac3-5.1-48k.mkv', 'mp3-44k.avi'];

/** 12 s of AAC in an unfragmented MP4 with a 100 ms tone at every whole second, from 0 on. */
async function writeSecondsClip(path: string): Promise<void> {
  const tone = '0.5*sin(2*PI*1000*t)*lt(mod(t\\,1)\\,0.1)';
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=12'],
    ...['-f', 'lavfi', '-i', `aevalsrc=exprs=${tone}:s=48000:c=stereo:d=12`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', path],
  ]);
}

/** Where each tone starts: the first loud sample after at least 0.5 s of quiet (or at the start). */
function toneOnsets(samples: Float32Array, sampleRate: number): number[] {
  const onsets: number[] = [];
  let quietSince = -sampleRate;
  for (let index = 0; index < samples.length; index++) {
    if (Math.abs(samples[index]!) <= 0.1) continue;
    if (index - quietSince >= sampleRate / 2) onsets.push(index / sampleRate);
    quietSince = index;
  }
  return onsets;
}

describe('videos chosen in the popup, in Firefox', () => {
  let firefox: Firefox;
  let popup: FirefoxTab;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'firefox-clips-'));
    await writeSecondsClip(join(scratch, 'seconds.mp4'));
    firefox = await Firefox.launch();
    popup = await firefox.openExtensionPage('popup.html');
    await chooseVideos(popup, [...CLIPS.map(fixturePath), join(scratch, 'seconds.mp4'), fixturePath('garbage.mp4')]);
  });
  afterAll(async () => {
    await firefox?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(CLIPS)('%s becomes an MP3 with its rate, channels, 192 kbps, duration and timing', async (name) => {
    const clip = fixture(name);
    if (!clip.expect.ok) throw new Error('not a good clip');
    const mp3 = await analyzeMp3(await firefox.waitForDownload(mp3NameFor(name), 120_000));
    expect(mp3).toMatchObject({
      codec: 'mp3',
      sampleRate: clip.expect.sampleRate,
      channels: clip.expect.channels,
      bitrateKbps: 192,
      titleTag: name.replace(/\.[^.]+$/, ''),
    });
    expect(Math.abs(mp3.onsetSeconds - clip.expect.onsetSeconds)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(mp3.endOfSoundSeconds - clip.expect.endOfSoundSeconds)).toBeLessThanOrEqual(0.001);
    // Never longer than the source (ffmpeg keeps a last AAC frame's padding the MP3 drops).
    expect(mp3.durationSeconds - clip.expect.sourceAudioSeconds).toBeLessThan(0.001);
  });

  it('keeps every tone of AAC in an MP4 at its second, the first at 0', async () => {
    const source = await decodeMono(join(scratch, 'seconds.mp4'));
    const expected = toneOnsets(source.samples, source.sampleRate);
    expect(expected).toHaveLength(12);
    const mp3 = await decodeMono(await firefox.waitForDownload('seconds.mp3', 120_000));
    const onsets = toneOnsets(mp3.samples, mp3.sampleRate);
    expect(onsets).toHaveLength(12);
    onsets.forEach((onset, second) => expect(Math.abs(onset - second)).toBeLessThan(0.003));
    onsets.forEach((onset, index) => expect(Math.abs(onset - expected[index]!)).toBeLessThan(0.001));
    expect(mp3.samples.length / mp3.sampleRate).toBeCloseTo(12, 3);
  });

  it('gives a file that is no video an alert that names it and says what to do', async () => {
    const alert = await waitForAlert(popup, 'jobs', 'garbage.mp4');
    expect(alert).toContain('“garbage.mp4”');
    expect(alert).toMatch(/isn't a video file.*Choose a video such as MP4/);
    expect(alert).not.toMatch(/Error|at \w+ \(|moz-extension:/);
  });

  it('lists each MP3 under Completed downloads with its size and duration', async () => {
    const text = await popup.waitFor('clip.mp3 in Completed downloads', rowTextIn, ['completed', 'clip.mp3']);
    expect(text).toMatch(/\d+(\.\d)? kB · 0:03/);
    expect(await rowText(popup, 'completed', 'seconds.mp3')).toMatch(/0:12/);
  });

  it('downloads a stored MP3 again, byte for byte, under a new name', async () => {
    expect(await clickRowButton(popup, 'completed', 'clip.mp3', 'Download again')).toBe(true);
    const again = await firefox.waitForDownload('clip(1).mp3');
    expect(await readFile(again)).toEqual(await readFile(await firefox.waitForDownload('clip.mp3')));
  });

  it('shows a completed MP3 in its folder without an error', async () => {
    expect(await clickRowButton(popup, 'completed', 'clip.mp3', 'Show in folder')).toBe(true);
    await new Promise((done) => setTimeout(done, 500));
    const alerts = () => document.querySelectorAll('section[aria-labelledby="completed-heading"] [role=alert]').length;
    expect(await popup.run(alerts)).toBe(0);
  });
});

function rowTextIn(section: string, name: string): string | null {
  const rows = document.querySelectorAll(`section[aria-labelledby="${section}-heading"] li[aria-label]`);
  const row = [...rows].find((item) => item.getAttribute('aria-label') === name) as HTMLElement | undefined;
  return row ? row.innerText : null;
}
