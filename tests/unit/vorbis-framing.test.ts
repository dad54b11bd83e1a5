import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oggCrc, withVorbisFramingBit } from '@/utils/engines/local/vorbis-framing';

const run = promisify(execFile);

/** Each page's bytes, split by its header. */
function pages(bytes: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const segments = bytes[at + 26]!;
    const body = bytes.subarray(at + 27, at + 27 + segments).reduce((sum, value) => sum + value, 0);
    found.push(bytes.subarray(at, at + 27 + segments + body));
    at += 27 + segments + body;
  }
  return found;
}

const storedCrc = (page: Uint8Array) => new DataView(page.buffer, page.byteOffset).getUint32(22, true);
const computedCrc = (page: Uint8Array) => {
  const copy = page.slice();
  copy.fill(0, 22, 26);
  return oggCrc(copy);
};

describe('withVorbisFramingBit', () => {
  let folder: string;
  let ffmpegOgg: Uint8Array;
  /** ffmpeg's file (a comment long enough to span pages) with its header pages laid again; the e2e test has mediabunny's. */
  let relaid: Uint8Array;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vorbis-'));
    const path = join(folder, 'tone.ogg');
    const long = 'x'.repeat(70_000);
    await run('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=1',
      '-c:a',
      'libvorbis',
      '-metadata',
      `comment=${long}`,
      path,
    ]);
    ffmpegOgg = new Uint8Array(await readFile(path));
    relaid = new Uint8Array(await (await withVorbisFramingBit(new Blob([ffmpegOgg as BlobPart]))).arrayBuffer());
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('computes the checksum ffmpeg writes on every page', () => {
    for (const page of pages(ffmpegOgg)) expect(computedCrc(page)).toBe(storedCrc(page));
  });

  it('keeps a file that has the bit playable: same packets, valid checksums, pages numbered in order', async () => {
    const all = pages(relaid);
    all.forEach((page, index) => {
      expect(computedCrc(page)).toBe(storedCrc(page));
      expect(new DataView(page.buffer, page.byteOffset).getUint32(18, true)).toBe(index);
    });
    const path = join(folder, 'again.ogg');
    await writeFile(path, relaid);
    const hashes = async (file: string) =>
      (await run('ffmpeg', ['-v', 'error', '-i', file, '-c', 'copy', '-f', 'framemd5', '-'])).stdout
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(',')[5]);
    expect(await hashes(path)).toEqual(await hashes(join(folder, 'tone.ogg')));
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream_tags=comment',
      '-of',
      'csv=p=0',
      path,
    ]);
    expect(stdout.trim()).toHaveLength(70_000);
  });
});
