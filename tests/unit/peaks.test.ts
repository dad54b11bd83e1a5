import { describe, expect, it } from 'vitest';
import { PeakBuilder, PeakTable, samplesPerPeak } from '@/utils/engines/local/waveform/peaks';

const pairs = (peaks: Float32Array) =>
  Array.from({ length: peaks.length / 2 }, (_, i) => [peaks[i * 2], peaks[i * 2 + 1]] as [number, number]);

describe('samplesPerPeak', () => {
  it.each<[number, number, number]>([
    [3, 48_000, 48],
    [240, 44_100, 45],
    [2 * 3600, 48_000, 330],
    [0, 48_000, 48],
    [1, 8, 1],
  ])('%d s at %d Hz → %d samples a peak', (seconds, rate, expected) => {
    expect(samplesPerPeak(seconds, rate)).toBe(expected);
  });

  it('keeps a two-hour video under a million peaks and a short one at a millisecond', () => {
    expect((2 * 3600 * 48_000) / samplesPerPeak(2 * 3600, 48_000)).toBeLessThanOrEqual(1 << 20);
    expect(samplesPerPeak(60, 48_000) / 48_000).toBeCloseTo(0.001, 6);
  });
});

describe('PeakBuilder', () => {
  it('takes the lowest and highest sample of each run over every channel, across chunk boundaries', () => {
    const builder = new PeakBuilder(3);
    builder.add([new Float32Array([0.1, -0.5, 0.2, 0.9]), new Float32Array([0, 0, -0.7, 0])], 4);
    expect(pairs(builder.take())).toEqual([[Math.fround(-0.7), Math.fround(0.2)]]);
    builder.add([new Float32Array([0.3, -0.1, 0.4]), new Float32Array([0.5, 0, 0])], 3);
    expect(pairs(builder.take())).toEqual([[Math.fround(-0.1), Math.fround(0.9)]]);
    expect(pairs(builder.finish())).toEqual([[0, Math.fround(0.4)]]);
    expect(builder.finish()).toHaveLength(0);
  });

  it('reads only the first `length` samples of each plane', () => {
    const builder = new PeakBuilder(2);
    builder.add([new Float32Array([0.5, 0.25, 1, 1])], 2);
    expect(pairs(builder.finish())).toEqual([[0.25, 0.5]]);
  });

  it('keeps every peak of a long run', () => {
    const builder = new PeakBuilder(1);
    const ramp = Float32Array.from({ length: 10_000 }, (_, i) => i / 10_000);
    builder.add([ramp], ramp.length);
    const peaks = pairs(builder.take());
    expect(peaks).toHaveLength(10_000);
    expect(peaks[9_999]).toEqual([ramp[9_999], ramp[9_999]]);
  });
});

describe('PeakTable', () => {
  const table = (values: number[], perSecond: number) => {
    const peaks = new PeakTable(perSecond);
    // Each peak's min is minus its max.
    peaks.append(Float32Array.from(values.flatMap((value) => [-value, value])));
    return peaks;
  };

  it('gives each column the extremes of the peaks it covers', () => {
    const { min, max } = table([0.1, 0.5, 0.2, 0.3, 0.9, 0.4], 2).columns(0, 3, 3);
    expect([...max]).toEqual([0.5, 0.3, 0.9].map(Math.fround));
    expect([...min]).toEqual([-0.5, -0.3, -0.9].map(Math.fround));
  });

  it('shows one peak over several columns when zoomed in past it', () => {
    const { max } = table([0.1, 0.5], 1).columns(1, 2, 4);
    expect([...max]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('leaves columns with no peak yet empty, and knows how far it has read', () => {
    const peaks = table([0.5, 0.5], 10);
    expect(peaks.knownSeconds).toBeCloseTo(0.2, 9);
    const { max } = peaks.columns(0, 0.4, 4);
    expect([...max].map((value) => Number.isNaN(value))).toEqual([false, false, true, true]);
    peaks.append(new Float32Array([-0.25, 0.25, -0.25, 0.25]));
    expect([...peaks.columns(0, 0.4, 4).max]).toEqual([0.5, 0.5, 0.25, 0.25]);
  });

  it('grows past its first buffer', () => {
    const peaks = new PeakTable(1000);
    for (let i = 0; i < 10; i++) peaks.append(new Float32Array(2000).fill(0.5));
    expect(peaks.knownSeconds).toBe(10);
    expect([...peaks.columns(9, 10, 2).max]).toEqual([0.5, 0.5]);
  });
});
