import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { changeSettings } from './helpers/options';
import { chooseVideos } from './helpers/popup';

const run = promisify(execFile);

/** Integrated loudness as ffmpeg's EBU R128 meter measures it. */
async function lufs(path: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128', '-f', 'null', '-']);
  return Number([...stderr.matchAll(/I:\s+(-?[\d.]+) LUFS/g)].at(-1)![1]);
}

describe('Even out loudness', () => {
  let session: ExtensionSession;
  // One clip per path: straight to the encoders, mixed down from 5.1 first, and through ffmpeg.wasm.
  const clips = ['clip.mp4', 'aac-5.1-48k.mp4', 'mp3-44k.avi'];

  beforeAll(async () => {
    session = await launchExtension();
    await changeSettings(session, { normalizeLoudness: true });
    await chooseVideos(await session.openPopup(), clips);
  });
  afterAll(() => session?.close());

  it.each(clips)('%s comes out at −14 LUFS (within 1 LU), far from its own loudness', async (name) => {
    const mp3 = await session.waitForDownload(name.replace(/\.\w+$/, '.mp3'), 60_000);
    const { stderr } = await run('ffmpeg', [
      '-hide_banner',
      '-nostats',
      '-i',
      mp3,
      '-af',
      'volumedetect',
      '-f',
      'null',
      '-',
    ]);
    expect(Math.abs((await lufs(mp3)) + 14)).toBeLessThanOrEqual(1);
    expect(Math.abs((await lufs(`tests/e2e/.fixtures/${name}`)) + 14)).toBeGreaterThan(3);
    expect(Number(/max_volume: (-?[\d.]+) dB/.exec(stderr)![1])).toBeLessThanOrEqual(0);
  });
});
