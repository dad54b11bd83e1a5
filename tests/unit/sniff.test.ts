import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mp3DurationSeconds, sniffAudioMp3 } from '../../utils/engines/local/sniff';

const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function make(name: string, rate: number, args: string[]): Blob {
  const file = join(dir, name);
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=${rate}:duration=10`,
    ...args,
    file,
  ]);
  return new Blob([readFileSync(file)]);
}

describe('mp3DurationSeconds', () => {
  // [what, sample rate, encoder arguments, how close the estimate must be in seconds]
  const files: [string, number, string[], number][] = [
    ['MPEG-1 with an Info frame and LAME tag: exact', 44100, ['-b:a', '128k'], 0.001],
    ['MPEG-2 with an Info frame and LAME tag: exact', 22050, ['-b:a', '64k'], 0.001],
    ['MPEG-1 without an Info frame: from its bitrate', 48000, ['-b:a', '192k', '-write_xing', '0'], 0.1],
    ['MPEG-2 without an Info frame: from its bitrate', 24000, ['-b:a', '64k', '-write_xing', '0'], 0.1],
    ['MPEG-2.5 without an Info frame: from its bitrate', 8000, ['-b:a', '16k', '-write_xing', '0'], 0.2],
    [
      'behind an ID3 tag',
      44100,
      ['-b:a', '128k', '-write_xing', '0', '-metadata', 'title=Tagged', '-id3v2_version', '3'],
      0.1,
    ],
  ];

  it.each(files)('%s', async (_, rate, args, tolerance) => {
    const blob = make(`${rate}-${args.join('')}.mp3`, rate, ['-c:a', 'libmp3lame', ...args]);
    expect(Math.abs((await mp3DurationSeconds(blob)) - 10)).toBeLessThanOrEqual(tolerance);
  });
});

describe('sniffAudioMp3', () => {
  it.each([
    ['an MP3', 'tone.mp3', ['-c:a', 'libmp3lame'], true],
    ['an MP3 behind an ID3 tag', 'tagged.mp3', ['-c:a', 'libmp3lame', '-metadata', 'title=Tagged'], true],
    ['an M4A', 'tone.m4a', ['-c:a', 'aac'], false],
  ])('%s', async (_, name, args, isMp3) => {
    expect(await sniffAudioMp3(make(name, 44100, args))).toBe(isMp3);
  });
});
