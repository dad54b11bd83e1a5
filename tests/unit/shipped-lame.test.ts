import { describe, expect, it } from 'vitest';
import { createMp3Encoder } from 'wasm-media-encoders';
import { encodeWithLame } from '../../utils/engines/local/mp3/lame';
import type { Mp3Format } from '../../utils/engines/local/mp3/segmented-encoding';
import { createShippedMp3Encoder } from './shipped-lame';

/** Two seconds of a chord and noise, so the psychoacoustics and bit reservoir have work to do. */
function music(sampleRate: number, channels: number): Float32Array[] {
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  return Array.from({ length: channels }, (_, channel) =>
    Float32Array.from({ length: sampleRate * 2 }, (_, index) => {
      const t = index / sampleRate;
      return 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * (330 + channel) * t) + noise();
    }),
  );
}

describe('the LAME build the extension ships (scripts/build-lame.sh)', () => {
  it.each<[string, Mp3Format]>([
    ['192 kbps CBR, 48 kHz stereo', { sampleRate: 48_000, channels: 2, bitrate: 192 }],
    ['128 kbps CBR, 44.1 kHz mono', { sampleRate: 44_100, channels: 1, bitrate: 128 }],
    ['VBR V2, 48 kHz stereo', { sampleRate: 48_000, channels: 2, bitrate: 'v2' }],
    ['VBR V0, 32 kHz stereo', { sampleRate: 32_000, channels: 2, bitrate: 'v0' }],
  ])('writes the same bytes as wasm-media-encoders’ own: %s', async (_, format) => {
    const planes = music(format.sampleRate, format.channels);
    const ours = encodeWithLame(await createShippedMp3Encoder(), planes, format);
    const theirs = encodeWithLame(await createMp3Encoder(), planes, format);
    expect(ours.length).toBeGreaterThan(1000);
    expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
  });
});
