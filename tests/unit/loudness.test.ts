import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LoudnessMeter, normalizingGain, TARGET_LUFS } from '@/utils/engines/local/loudness';

/** What ffmpeg's ebur128 filter says of the same planar samples. */
function ffmpegLufs(planes: Float32Array[], sampleRate: number): number {
  const length = planes[0]!.length;
  const interleaved = new Float32Array(length * planes.length);
  for (let i = 0; i < length; i++) planes.forEach((plane, c) => (interleaved[i * planes.length + c] = plane[i]!));
  const result = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostats',
      '-f',
      'f32le',
      '-ar',
      `${sampleRate}`,
      '-ac',
      `${planes.length}`,
      '-i',
      '-',
      '-af',
      'ebur128',
      '-f',
      'null',
      '-',
    ],
    { input: Buffer.from(interleaved.buffer), maxBuffer: 1 << 26 },
  );
  // The summary comes last; the "I:" lines before it are running values.
  const match = [...result.stderr.toString().matchAll(/I:\s+(-?[\d.]+) LUFS/g)].at(-1);
  if (!match) throw new Error(`no loudness from ffmpeg: ${result.stderr.toString()}`);
  return Number(match[1]);
}

function signal(
  sampleRate: number,
  channels: number,
  seconds: number,
  shape: (t: number, channel: number) => number,
): Float32Array[] {
  return Array.from({ length: channels }, (_, channel) =>
    Float32Array.from({ length: Math.round(sampleRate * seconds) }, (_, i) => shape(i / sampleRate, channel)),
  );
}

describe('LoudnessMeter', () => {
  it.each([
    {
      name: '1 kHz at −20 dBFS, stereo, 48 kHz',
      rate: 48_000,
      channels: 2,
      shape: (t: number) => 0.1 * Math.sin(2 * Math.PI * 1000 * t),
    },
    {
      name: '100 Hz, mono, 44.1 kHz',
      rate: 44_100,
      channels: 1,
      shape: (t: number) => 0.3 * Math.sin(2 * Math.PI * 100 * t),
    },
    {
      name: 'bursts with silence between (gating), 32 kHz',
      rate: 32_000,
      channels: 2,
      shape: (t: number) => (t % 1 < 0.3 ? 0.5 * Math.sin(2 * Math.PI * 440 * t) : 0),
    },
    {
      name: 'loud then quiet (relative gate)',
      rate: 48_000,
      channels: 2,
      shape: (t: number, c: number) => (t < 3 ? 0.5 : 0.02) * Math.sin(2 * Math.PI * (c ? 3000 : 250) * t),
    },
  ])('agrees with ffmpeg’s ebur128 within 0.1 LU: $name', ({ rate, channels, shape }) => {
    const planes = signal(rate, channels, 6, shape);
    const meter = new LoudnessMeter(rate, channels);
    for (let start = 0; start < planes[0]!.length; start += 4096)
      meter.add(planes.map((plane) => plane.subarray(start, start + 4096)));
    expect(meter.integratedLufs()).toBeCloseTo(ffmpegLufs(planes, rate), 1);
  });

  it('says −Infinity for silence, and leaves silence as it is', () => {
    const meter = new LoudnessMeter(48_000, 2);
    meter.add([new Float32Array(48_000), new Float32Array(48_000)]);
    expect(meter.integratedLufs()).toBe(Number.NEGATIVE_INFINITY);
    expect(normalizingGain(meter)).toBe(1);
  });

  it('brings loudness to the target, unless that would clip', () => {
    const quiet = new LoudnessMeter(48_000, 1);
    quiet.add(signal(48_000, 1, 3, (t) => 0.05 * Math.sin(2 * Math.PI * 1000 * t)));
    const gain = normalizingGain(quiet);
    expect(quiet.integratedLufs() + 20 * Math.log10(gain)).toBeCloseTo(TARGET_LUFS, 5);

    const peaky = new LoudnessMeter(48_000, 1);
    peaky.add(signal(48_000, 1, 3, (t) => (t % 1 < 0.001 ? 0.9 : 0.01 * Math.sin(2 * Math.PI * 1000 * t))));
    expect(normalizingGain(peaky) * peaky.samplePeak).toBeCloseTo(1, 5);
  });
});
