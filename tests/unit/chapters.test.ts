import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chaptersInMp3, type Chapter } from '../../utils/engines/local/chapters/chapter';
import { parseMatroskaChapters } from '../../utils/engines/local/chapters/matroska';
import { readChapterTrack } from '../../utils/engines/local/chapters/chapter-track';
import { readChapters } from '../../utils/engines/local/chapters/read-chapters';
import { id3Tag } from '../../utils/engines/local/mp3/mp3-writer';

const workDir = mkdtempSync(join(tmpdir(), 'chapters-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const CHAPTERS = [
  { title: 'Intro', start: 0, end: 1000 },
  { title: 'Middle part', start: 1000, end: 2345 },
  { title: 'Schluss – 終わり', start: 2345, end: 4000 },
];

/** A 4 s tone in `name` with the three chapters, made by ffmpeg. */
function withChapters(name: string, codec: string[]): Blob {
  const metadata = join(workDir, 'chapters.txt');
  writeFileSync(
    metadata,
    ';FFMETADATA1\n' +
      CHAPTERS.map((c) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${c.start}\nEND=${c.end}\ntitle=${c.title}\n`).join(''),
  );
  const path = join(workDir, name);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=1000:d=4', '-i', metadata],
    ...['-map', '0', '-map_chapters', '1', ...codec, path],
  ]);
  return new Blob([readFileSync(path)]);
}

interface ProbedChapter {
  start_time: string;
  end_time: string;
  tags?: { title?: string };
}

function probeChapters(path: string): { start: number; end: number; title?: string }[] {
  const output = execFileSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', path]).toString();
  return (JSON.parse(output) as { chapters: ProbedChapter[] }).chapters.map((chapter) => ({
    start: Math.round(Number(chapter.start_time) * 1000),
    end: Math.round(Number(chapter.end_time) * 1000),
    title: chapter.tags?.title,
  }));
}

describe('reading chapters', () => {
  it.each([
    ['MP4 (Nero chpl)', 'a.mp4', ['-c:a', 'aac']],
    ['M4A (Nero chpl)', 'a.m4a', ['-c:a', 'aac']],
    ['Matroska', 'a.mkv', ['-c:a', 'flac']],
    ['WebM', 'a.webm', ['-c:a', 'libopus']],
  ])('%s: titles and starts to the millisecond', async (_label, name, codec) => {
    const chapters = await readChapters(withChapters(name, codec));
    expect(chapters.map((c) => c.title)).toEqual(CHAPTERS.map((c) => c.title));
    expect(chapters.map((c) => Math.round(c.startSeconds * 1000))).toEqual(CHAPTERS.map((c) => c.start));
  });

  it.each(['a.mp4', 'a.mov'])(
    '%s without its Nero list: the QuickTime chapter track, starts and ends',
    async (name) => {
      const bytes = new Uint8Array(await withChapters(name, ['-c:a', 'aac']).arrayBuffer());
      const nero = Buffer.from(bytes).indexOf('chpl');
      expect(nero).toBeGreaterThan(0);
      bytes.set(Buffer.from('free'), nero);
      const chapters = await readChapterTrack(new Blob([bytes]));
      expect(chapters).toEqual(
        CHAPTERS.map((c) => ({ title: c.title, startSeconds: c.start / 1000, endSeconds: c.end / 1000 })),
      );
      expect(await readChapters(new Blob([bytes]))).toEqual(chapters);
    },
  );

  it('finds none in a file without chapters, or one that is not a video at all', async () => {
    const path = join(workDir, 'none.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'aac', path]);
    expect(await readChapters(new Blob([readFileSync(path)]))).toEqual([]);
    expect(await readChapters(new Blob(['not a video at all']))).toEqual([]);
    expect(await readChapters(new Blob([new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0xff])]))).toEqual([]);
  });

  it('skips hidden Matroska chapters and keeps their end times', () => {
    // EditionEntry { ChapterAtom { start 1 s, end 2 s, display "A" }, ChapterAtom { start 3 s, hidden } }
    const atom = (fields: number[]) => [0xb6, 0x80 | fields.length, ...fields];
    const uint = (id: number, value: number) => [id, 0x84, ...[24, 16, 8, 0].map((s) => (value / 2 ** s) & 0xff)];
    const display = [0x80, 0x83, 0x85, 0x81, 0x41];
    const first = atom([...uint(0x91, 1e9), ...uint(0x92, 2e9), ...display]);
    const hidden = atom([...uint(0x91, 3e9), 0x98, 0x81, 0x01]);
    const edition = [0x45, 0xb9, 0x80 | (first.length + hidden.length), ...first, ...hidden];
    expect(parseMatroskaChapters(new Uint8Array(edition))).toEqual([{ title: 'A', startSeconds: 1, endSeconds: 2 }]);
  });
});

describe('chaptersInMp3', () => {
  const chapters: Chapter[] = [
    { title: 'b', startSeconds: 10 },
    { title: 'a', startSeconds: 0 },
    { title: 'c', startSeconds: 20, endSeconds: 25 },
  ];
  it.each([
    [
      'the whole sound',
      0,
      30,
      [
        { title: 'a', startMs: 0, endMs: 10_000 },
        { title: 'b', startMs: 10_000, endMs: 20_000 },
        { title: 'c', startMs: 20_000, endMs: 25_000 },
      ],
    ],
    [
      'trimmed from 5 s to 22.5 s',
      5,
      17.5,
      [
        { title: 'a', startMs: 0, endMs: 5_000 },
        { title: 'b', startMs: 5_000, endMs: 15_000 },
        { title: 'c', startMs: 15_000, endMs: 17_500 },
      ],
    ],
    ['trimmed to inside one chapter', 12, 3, [{ title: 'b', startMs: 0, endMs: 3_000 }]],
    ['trimmed past the chapters', 26, 4, []],
  ])('%s', (_label, offset, duration, expected) => {
    expect(chaptersInMp3(chapters, offset, duration)).toEqual(expected);
  });
});

describe('ID3 CHAP and CTOC frames', () => {
  it('are read back by ffprobe with their titles, starts and ends to the millisecond', () => {
    const sound = join(workDir, 'plain.mp3');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=4', '-c:a', 'libmp3lame'],
      ...['-id3v2_version', '0', '-write_xing', '0', sound],
    ]);
    const chapters = CHAPTERS.map((c) => ({ title: c.title, startMs: c.start, endMs: c.end }));
    const tagged = join(workDir, 'tagged.mp3');
    writeFileSync(tagged, Buffer.concat([id3Tag({ title: 'Talk' }, chapters), readFileSync(sound)]));
    expect(probeChapters(tagged)).toEqual(CHAPTERS.map((c) => ({ start: c.start, end: c.end, title: c.title })));
    const toc = readFileSync(tagged).indexOf('CTOC');
    expect(toc).toBeGreaterThan(0);
  });

  it('are left out when there are no chapters', () => {
    expect(Buffer.from(id3Tag({ title: 'Talk' })).indexOf('CHAP')).toBe(-1);
    expect(id3Tag({}).length).toBe(0);
  });
});
