import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { changeSettings } from './helpers/options';
import { chooseVideos } from './helpers/popup';

const run = promisify(execFile);

interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; disposition?: { attached_pic?: number } }[];
  format: { tags?: Record<string, string> };
}

async function probe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', path]);
  return JSON.parse(stdout) as Probe;
}

/** How much the cover's pixels vary (0 for a blank picture), from its grey levels. */
async function coverContrast(path: string): Promise<number> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const pixels = [...stdout];
  const mean = pixels.reduce((sum, value) => sum + value, 0) / pixels.length;
  return Math.sqrt(pixels.reduce((sum, value) => sum + (value - mean) ** 2, 0) / pixels.length);
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
    expect(await coverContrast(path)).toBeGreaterThan(20);
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
