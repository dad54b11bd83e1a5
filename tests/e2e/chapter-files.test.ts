import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { changeSettings } from './helpers/options';
import { sourceAudioSeconds } from './helpers/mp3';
import { completedRow } from './helpers/popup';
import { decodeMono } from '../../scripts/make-fixtures';

const RATE = 48_000;
const CHAPTERS = [
  { title: 'Intro', start: 0, end: 1500 },
  { title: 'Middle part', start: 1500, end: 3250 },
  { title: 'Outro', start: 3250, end: 5000 },
];
const NAMES = ['talk - 01 - Intro.mp3', 'talk - 02 - Middle part.mp3', 'talk - 03 - Outro.mp3'];

function tagsOf(path: string): Record<string, string> {
  const output = execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_chapters', '-of', 'json', path]);
  const parsed = JSON.parse(output.toString()) as { format: { tags?: Record<string, string> }; chapters: unknown[] };
  return { ...parsed.format.tags, chapters: String(parsed.chapters.length) };
}

describe('One MP3 per chapter', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'chapter-files-e2e-'));
  const video = join(workDir, 'talk.mp4');
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    const metadata = join(workDir, 'chapters.txt');
    writeFileSync(
      metadata,
      ';FFMETADATA1\n' +
        CHAPTERS.map((c) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${c.start}\nEND=${c.end}\ntitle=${c.title}\n`).join(''),
    );
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=5'],
      ...['-f', 'lavfi', '-i', `sine=f=440:d=5:sample_rate=${RATE}`, '-i', metadata],
      ...['-map', '0:v', '-map', '1:a', '-map_chapters', '2', '-c:v', 'libx264', '-preset', 'ultrafast'],
      ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', video],
    ]);
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(async () => {
    await session?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('splits a video with three chapters into three numbered MP3s, to the sample', async () => {
    await changeSettings(session, { splitChapters: true });
    await popup.getByLabel('Choose video').setInputFiles(video);
    const mp3s = await Promise.all(NAMES.map((name) => session.waitForDownload(name, 60_000)));

    // The sound's length as the container says it (ffmpeg's decoder also plays the last frame's padding).
    const whole = Math.round((await sourceAudioSeconds(video)) * RATE);
    const lengths: number[] = [];
    for (const [index, mp3] of mp3s.entries()) {
      const decoded = await decodeMono(mp3);
      expect(decoded.sampleRate).toBe(RATE);
      const chapter = CHAPTERS[index]!;
      // Each is its chapter to the sample: the cuts fall where the chapters meet.
      expect(decoded.samples.length, NAMES[index]).toBe(((chapter.end - chapter.start) * RATE) / 1000);
      lengths.push(decoded.samples.length);
      const tags = tagsOf(mp3);
      expect(tags.title).toBe(chapter.title);
      expect(tags.album).toBe('talk');
      expect(tags.track).toBe(`${index + 1}/3`);
      expect(tags.chapters).toBe('0');
    }
    // No gap, no overlap: together they are the whole sound.
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(whole);

    for (const name of NAMES) await expect.poll(() => completedRow(popup, name).count(), { timeout: 30_000 }).toBe(1);
    const zipButton = popup
      .getByRole('region', { name: 'Completed downloads' })
      .getByRole('button', { name: 'Download all as ZIP' });
    await zipButton.click();
    const day = new Date();
    const stamp = [day.getFullYear(), day.getMonth() + 1, day.getDate()]
      .map((p) => String(p).padStart(2, '0'))
      .join('-');
    const zip = await JSZip.loadAsync(readFileSync(await session.waitForDownload(`MP3s ${stamp}.zip`, 60_000)));
    expect(Object.keys(zip.files).sort()).toEqual([...NAMES].sort());
    for (const [index, name] of NAMES.entries()) {
      const entry = await zip.file(name)!.async('uint8array');
      expect(Buffer.compare(Buffer.from(entry), readFileSync(mp3s[index]!)), name).toBe(0);
    }
  });
});
