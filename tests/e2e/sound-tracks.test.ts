import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { changeSettings } from './helpers/options';
import { completedRow, jobRow } from './helpers/popup';
import { findEndOfSoundSeconds, findOnsetSeconds } from '../../scripts/make-fixtures';

/** Where the sound of track `index` of `path` starts and stops, decoded by ffmpeg. */
function trackSound(path: string, index: number): { onset: number; end: number } {
  const raw = execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-i', path, '-map', `0:a:${index}`, '-ac', '1', '-ar', '48000', '-f', 'f32le'],
    'pipe:1',
  ]);
  const samples = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
  return { onset: findOnsetSeconds(samples, 48_000), end: findEndOfSoundSeconds(samples, 48_000) };
}

/** The MP3 holds the sound of that track: the same onset and end, within 50 ms. */
async function expectTrack(mp3: string, source: string, index: number): Promise<void> {
  const analysis = await analyzeMp3(mp3);
  const track = trackSound(source, index);
  expect(Math.abs(analysis.onsetSeconds - track.onset), `${mp3} onset`).toBeLessThan(0.05);
  expect(Math.abs(analysis.endOfSoundSeconds - track.end), `${mp3} end`).toBeLessThan(0.05);
  expect(analysis.durationSeconds).toBeCloseTo(4, 1);
}

describe('sound tracks', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'tracks-e2e-'));
  const video = join(workDir, 'concert.mp4');
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    // Two sound tracks told apart by pitch and by when they start and stop: English a 440 Hz tone
    // from 0.5 s to 3.5 s, French (the default, though second) an 880 Hz one from 1.5 s to 3 s.
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=4'],
      ...['-f', 'lavfi', '-i', 'sine=f=440:d=3:sample_rate=48000,adelay=500,apad=whole_dur=4'],
      ...['-f', 'lavfi', '-i', 'sine=f=880:d=1.5:sample_rate=48000,adelay=1500,apad=whole_dur=4'],
      ...['-map', '0:v', '-map', '1:a', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast'],
      ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t', '4'],
      ...['-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fra'],
      ...['-disposition:a:0', '0', '-disposition:a:1', 'default', video],
    ]);
    for (const mode of ['default', 'ask', 'all']) copyFileSync(video, join(workDir, `${mode}.mp4`));
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(async () => {
    await session?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("default: one MP3 of the video's default track", async () => {
    await popup.getByLabel('Choose video').setInputFiles(join(workDir, 'default.mp4'));
    await expectTrack(await session.waitForDownload('default.mp3', 60_000), video, 1);
  });

  it('all: one MP3 per track, named after its language, each with its own sound', async () => {
    await changeSettings(session, { soundTrack: 'all' });
    await popup.getByLabel('Choose video').setInputFiles(join(workDir, 'all.mp4'));
    await expectTrack(await session.waitForDownload('all (English).mp3', 60_000), video, 0);
    await expectTrack(await session.waitForDownload('all (French).mp3', 60_000), video, 1);
    for (const name of ['all (English).mp3', 'all (French).mp3'])
      await expect.poll(() => completedRow(popup, name).count(), { timeout: 30_000 }).toBe(1);
  });

  it('ask: the job waits with a Sound track radio group, the default chosen, and converts the track chosen', async () => {
    await changeSettings(session, { soundTrack: 'ask' });
    await popup.getByLabel('Choose video').setInputFiles(join(workDir, 'ask.mp4'));
    const group = jobRow(popup, 'ask.mp4').getByRole('group', { name: 'Sound track' });
    await expect.poll(() => group.getByRole('radio').count(), { timeout: 60_000 }).toBe(2);
    expect(await group.getByRole('radio', { name: 'French (AAC, mono)' }).isChecked()).toBe(true);
    const english = group.getByRole('radio', { name: 'English (AAC, mono)' });
    await english.focus();
    await popup.keyboard.press('Space');
    expect(await english.isChecked()).toBe(true);
    await jobRow(popup, 'ask.mp4').getByRole('button', { name: 'Convert' }).click();
    await expectTrack(await session.waitForDownload('ask.mp3', 60_000), video, 0);
  });
});
