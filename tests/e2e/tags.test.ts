import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { changeSettings } from './helpers/options';
import { chooseVideos, fixturePath } from './helpers/popup';

const run = promisify(execFile);

interface Probe {
  streams: {
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    disposition?: { attached_pic?: number };
  }[];
  format: { tags?: Record<string, string> };
}

async function probe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', path]);
  return JSON.parse(stdout) as Probe;
}

/** The grey levels of one picture ffmpeg reads with `input` (its arguments up to the output). */
async function greyPixels(input: string[]): Promise<number[]> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', ...input, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return [...stdout];
}

const coverOf = (path: string) => greyPixels(['-i', path, '-map', '0:v:0']);
const videoFrame = (name: string, index: number) =>
  greyPixels(['-i', fixturePath(name), '-vf', `select=eq(n\\,${index})`]);

/** How much the cover's pixels vary (0 for a blank picture). */
function contrast(pixels: number[]): number {
  const mean = pixels.reduce((sum, value) => sum + value, 0) / pixels.length;
  return Math.sqrt(pixels.reduce((sum, value) => sum + (value - mean) ** 2, 0) / pixels.length);
}

/** Mean difference of grey levels, for pictures of one size. */
function difference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((sum, value, index) => sum + Math.abs(value - b[index]!), 0) / a.length;
}

describe('ID3 tags', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchExtension();
  });
  afterAll(() => session?.close());

  it('gives the title, the source’s artist and album, and a frame of the video as cover art, by default', async () => {
    await chooseVideos(await session.openPopup(), ['tagged.mp4']);
    const path = await session.waitForDownload('tagged.mp3');
    const { streams, format } = await probe(path);
    expect(format.tags).toMatchObject({ title: 'tagged', artist: 'The Testers', album: 'Fixtures, Vol. 1' });
    const cover = streams.find((stream) => stream.codec_type === 'video');
    expect(cover).toMatchObject({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } });
    expect(Math.max(cover!.width!, cover!.height!)).toBeLessThanOrEqual(600);
    expect(cover!.width! / cover!.height!).toBeCloseTo(320 / 240, 1);
    const picture = await coverOf(path);
    expect(contrast(picture)).toBeGreaterThan(20);
    // tagged.mp4 is 3 s at 10 frames a second with one key frame, its first: the cover is the key
    // frame at or before a tenth of the way in, read from the sample table, not frame 3 at 0.3 s.
    const toKeyFrame = difference(picture, await videoFrame('tagged.mp4', 0));
    expect(toKeyFrame).toBeLessThan(difference(picture, await videoFrame('tagged.mp4', 3)) / 2);
  });

  it('leaves out what the options turn off', async () => {
    await changeSettings(session, { tags: { artistAlbum: false, cover: false } });
    await chooseVideos(await session.openPopup(), ['tagged.mp4']);
    const { streams, format } = await probe(await session.waitForDownload('tagged (1).mp3'));
    expect(format.tags?.title).toBe('tagged');
    expect(format.tags?.artist).toBeUndefined();
    expect(format.tags?.album).toBeUndefined();
    expect(streams.filter((stream) => stream.codec_type === 'video')).toEqual([]);
  });
});
