import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { changeSettings } from './helpers/options';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos } from './helpers/popup';
import { layer3FrameLengthAt } from '../../utils/engines/local/mp3/frame-header';
import { readInfoFrame } from '../../utils/engines/local/mp3/info-frame';

/** The MP3's bytes after its ID3v2 tag (a 10-byte header, then a syncsafe size). */
function afterId3(bytes: Uint8Array): Uint8Array {
  if (String.fromCharCode(...bytes.subarray(0, 3)) !== 'ID3') return bytes;
  const size = ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!) + 10;
  return bytes.subarray(size);
}

// clip.mp4 is one segment; long.mp4 (4 min) is encoded as many, joined, so its timing checks cover the joins.
/** Average kbps of each MP3, by clip and level. */
const averageKbps = new Map<string, number>();

const clips = inject('fixtures').filter((clip) => ['clip.mp4', 'long.mp4'].includes(clip.name));

describe.each(['v0', 'v2'] as const)('Bitrate %s (variable)', (bitrate) => {
  let session: ExtensionSession;

  beforeAll(async () => {
    session = await launchExtension();
    await changeSettings(session, { bitrate, fileNamePattern: '{title} {bitrate}' });
    await chooseVideos(
      await session.openPopup(),
      clips.map((clip) => clip.name),
    );
  });
  afterAll(() => session?.close());

  it.each(clips)(
    '$name: a Xing frame with a seek table and LAME tag, frames of several bitrates, exact ends',
    async (clip) => {
      if (!clip.expect.ok) throw new Error('not a good clip');
      const path = await session.waitForDownload(clip.name.replace('.mp4', ` ${bitrate.toUpperCase()}.mp3`), 180_000);
      const frames = afterId3(new Uint8Array(await readFile(path)));
      const info = readInfoFrame(frames);
      expect(info).toMatchObject({ tagId: 'Xing', byteCount: frames.length, sampleRate: clip.expect.sampleRate });
      expect(info?.lameTag).toMatchObject({ encoderDelay: 576, vbrMethod: 4, crcValid: true });
      expect(info?.seekTable).not.toBeNull();
      const bitrates = new Set<number>();
      let count = 0;
      for (let at = info!.frameSize!; at < frames.length; at += layer3FrameLengthAt(frames, at), count++) {
        expect(layer3FrameLengthAt(frames, at), `a frame at byte ${at}`).toBeGreaterThan(0);
        bitrates.add(frames[at + 2]! >> 4);
      }
      expect(count).toBe(info?.frameCount);
      expect(bitrates.size).toBeGreaterThan(2);

      const mp3 = await analyzeMp3(path);
      expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: clip.expect.sampleRate, channels: clip.expect.channels });
      averageKbps.set(`${clip.name} ${bitrate}`, mp3.bitrateKbps);
      expect(Math.abs(mp3.onsetSeconds - clip.expect.onsetSeconds)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(mp3.endOfSoundSeconds - clip.expect.endOfSoundSeconds)).toBeLessThanOrEqual(0.001);
      // As at a constant bitrate (convert-from-popup.test.ts): nothing added after the source's sound.
      expect(mp3.durationSeconds - clip.expect.sourceAudioSeconds).toBeLessThan(0.001);
    },
  );
});

describe('V0 and V2', () => {
  it.each(clips)('$name: V0 spends more bits than V2', ({ name }) => {
    const v0 = averageKbps.get(`${name} v0`);
    const v2 = averageKbps.get(`${name} v2`);
    expect(v0).toBeDefined();
    expect(v0!).toBeGreaterThan(v2!);
  });
});
