import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';

const CHAPTERS = [
  { title: 'Intro', start: 0, end: 1500 },
  { title: 'Middle part', start: 1500, end: 3250 },
  { title: 'Outro', start: 3250, end: 5000 },
];

function probeChapters(path: string): { start: number; end: number; title?: string }[] {
  const output = execFileSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', path]).toString();
  const chapters = (
    JSON.parse(output) as { chapters: { start_time: string; end_time: string; tags?: { title?: string } }[] }
  ).chapters;
  return chapters.map((chapter) => ({
    start: Math.round(Number(chapter.start_time) * 1000),
    end: Math.round(Number(chapter.end_time) * 1000),
    title: chapter.tags?.title,
  }));
}

describe('chapters', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'chapters-e2e-'));
  let session: ExtensionSession;
  let popup: Page;
  // A 5 s video with three chapters: in MP4 (a Nero chpl and a chapter track), in QuickTime with only
  // the chapter track (its chpl made a free box), and in Matroska.
  const videos = [
    {
      name: 'interview.mov',
      codecs: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    },
    { name: 'talk.mp4', codecs: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'] },
    {
      name: 'lecture.mkv',
      codecs: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'libopus'],
    },
  ];

  beforeAll(async () => {
    const metadata = join(workDir, 'chapters.txt');
    writeFileSync(
      metadata,
      ';FFMETADATA1\n' +
        CHAPTERS.map((c) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${c.start}\nEND=${c.end}\ntitle=${c.title}\n`).join(''),
    );
    for (const video of videos) {
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=5'],
        ...['-f', 'lavfi', '-i', 'sine=f=440:d=5:sample_rate=48000', '-i', metadata],
        ...['-map', '0:v', '-map', '1:a', '-map_chapters', '2', ...video.codecs, join(workDir, video.name)],
      ]);
      if (video.name.endsWith('.mov')) {
        const path = join(workDir, video.name);
        const bytes = readFileSync(path);
        bytes.write('free', bytes.indexOf('chpl'));
        writeFileSync(path, bytes);
      }
      // The video's own chapters, as ffprobe reads them.
      expect(probeChapters(join(workDir, video.name))).toEqual(CHAPTERS.map((c) => ({ ...c })));
    }
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(async () => {
    await session?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each(videos)(
    '$name: the MP3 has the three chapters as ID3 CHAP and CTOC frames, to the millisecond',
    async ({ name }) => {
      await popup.getByLabel('Choose video').setInputFiles(join(workDir, name));
      const mp3 = await session.waitForDownload(name.replace(/\.\w+$/, '.mp3'), 60_000);
      expect(probeChapters(mp3)).toEqual(CHAPTERS);
      expect((await analyzeMp3(mp3)).durationSeconds).toBeCloseTo(5, 2);
    },
  );
});
