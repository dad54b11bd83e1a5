import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { changeSettings } from './helpers/options';
import { chooseVideos } from './helpers/popup';
import { mp3NameFor } from '../../utils/file-names';

const run = promisify(execFile);
const mp3Clips = inject('fixtures').filter((clip) => clip.expect.ok && clip.name.startsWith('mp3-'));

/** The MD5 of every audio packet's bytes, in order, as ffmpeg demuxes them (the Xing frame is not a packet; side data columns are left out). */
async function audioPacketHashes(path: string): Promise<string[]> {
  const { stdout } = await run('ffmpeg', [
    '-v',
    'error',
    '-i',
    path,
    '-map',
    '0:a:0',
    '-c',
    'copy',
    '-f',
    'framemd5',
    '-',
  ]);
  return stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',')[5]!.trim());
}

async function bitrateOf(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=bit_rate',
    '-of',
    'csv=p=0',
    path,
  ]);
  return Number(stdout.trim()) / 1000;
}

describe('Keep MP3 sound as it is', () => {
  let session: ExtensionSession;

  beforeAll(async () => {
    expect(mp3Clips.map((clip) => clip.name).sort()).toEqual(['mp3-44k.avi', 'mp3-48k.mp4', 'mp3-mono-32k.mkv']);
    session = await launchExtension();
    await changeSettings(session, { keepMp3Audio: true });
    await chooseVideos(
      await session.openPopup(),
      mp3Clips.map((clip) => clip.name),
    );
  });
  afterAll(() => session?.close());

  it.each(mp3Clips)(
    '$name: the MP3 frames are copied byte for byte, at their own bitrate, with the same timing',
    async (clip) => {
      if (!clip.expect.ok) throw new Error('not a good clip');
      const path = await session.waitForDownload(mp3NameFor(clip.name), 60_000);
      expect(await audioPacketHashes(path)).toEqual(await audioPacketHashes(clip.path));
      const mp3 = await analyzeMp3(path);
      expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: clip.expect.sampleRate, channels: clip.expect.channels });
      expect(mp3.bitrateKbps).toBeCloseTo(await bitrateOf(clip.path), 0);
      expect(mp3.bitrateKbps).not.toBe(192);
      expect(Math.abs(mp3.onsetSeconds - clip.expect.onsetSeconds)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(mp3.endOfSoundSeconds - clip.expect.endOfSoundSeconds)).toBeLessThanOrEqual(0.001);
      // Without a start delay from the container, a LAME tag can't trim the end either (players would then skip a
      // decoder delay at the start too): the last frame's padding, silence under one frame long, may stay.
      expect(mp3.durationSeconds - clip.expect.sourceAudioSeconds).toBeLessThan(1152 / clip.expect.sampleRate);
    },
  );
});
