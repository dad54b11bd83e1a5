import { describe, expect, it } from 'vitest';
import { activeFades, applyFades, fadeGain, fadeSpan, fadesSchema } from '@/utils/fades';

describe('fadeGain', () => {
  const span = { totalSamples: 100, inSamples: 10, outSamples: 20 };
  it.each<[number, number]>([
    [0, 0],
    [1, 0.1],
    [5, 0.5],
    [9, 0.9],
    [10, 1],
    [50, 1],
    [79, 1],
    [80, 19 / 20],
    [90, 9 / 20],
    [98, 1 / 20],
    [99, 0],
  ])('sample %d of 100 (10 in, 20 out) → %f', (index, gain) => {
    expect(fadeGain(index, span)).toBeCloseTo(gain, 12);
  });

  it('multiplies overlapping fades', () => {
    const short = { totalSamples: 10, inSamples: 10, outSamples: 10 };
    expect(fadeGain(5, short)).toBeCloseTo(0.5 * (4 / 10), 12);
  });

  it('is 1 everywhere without fades', () => {
    const none = { totalSamples: 10, inSamples: 0, outSamples: 0 };
    expect([0, 5, 9].map((index) => fadeGain(index, none))).toEqual([1, 1, 1]);
  });

  it('rises steadily over the fade in and falls steadily over the fade out', () => {
    const gains = Array.from({ length: 1000 }, (_, index) =>
      fadeGain(index, fadeSpan({ inSeconds: 0.2, outSeconds: 0.3 }, 1000, 1000)),
    );
    for (let i = 1; i < 200; i++) expect(gains[i]!).toBeGreaterThan(gains[i - 1]!);
    for (let i = 701; i < 1000; i++) expect(gains[i]!).toBeLessThan(gains[i - 1]!);
  });
});

describe('fadeSpan', () => {
  it.each<[{ inSeconds: number; outSeconds: number }, number, { inSamples: number; outSamples: number }]>([
    [{ inSeconds: 1, outSeconds: 0.5 }, 48_000, { inSamples: 48_000, outSamples: 24_000 }],
    [{ inSeconds: 0.0001, outSeconds: 0 }, 44_100, { inSamples: 4, outSamples: 0 }],
  ])('%j at %d Hz', (fades, rate, expected) => {
    expect(fadeSpan(fades, rate, 96_000)).toEqual({ totalSamples: 96_000, ...expected });
  });
});

describe('applyFades', () => {
  const ones = (length: number) => new Float32Array(length).fill(1);

  it('gives chunks the gain of their place in the whole sound, in every channel', () => {
    const span = { totalSamples: 30, inSamples: 10, outSamples: 10 };
    const whole: number[][] = [[], []];
    for (let first = 0; first < 30; first += 7) {
      const planes = [ones(Math.min(7, 30 - first)), ones(Math.min(7, 30 - first))];
      applyFades(planes, first, span);
      planes.forEach((plane, channel) => whole[channel]!.push(...plane));
    }
    const expected = Array.from({ length: 30 }, (_, index) => Math.fround(fadeGain(index, span)));
    expect(whole[0]).toEqual(expected);
    expect(whole[1]).toEqual(expected);
  });

  it('leaves a chunk between the fades as it is', () => {
    const planes = [ones(5)];
    applyFades(planes, 10, { totalSamples: 30, inSamples: 10, outSamples: 10 });
    expect([...planes[0]!]).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('activeFades and fadesSchema', () => {
  it('drops fades that are both 0', () => {
    expect(activeFades({ inSeconds: 0, outSeconds: 0 })).toBeUndefined();
    expect(activeFades(undefined)).toBeUndefined();
    expect(activeFades({ inSeconds: 0, outSeconds: 2 })).toEqual({ inSeconds: 0, outSeconds: 2 });
  });

  it.each([
    [{ inSeconds: 0, outSeconds: 0 }, true],
    [{ inSeconds: 1.5, outSeconds: 3 }, true],
    [{ inSeconds: -1, outSeconds: 0 }, false],
    [{ inSeconds: 0, outSeconds: 4000 }, false],
    [{ inSeconds: 1 }, false],
  ])('%j valid: %s', (fades, valid) => {
    expect(fadesSchema.safeParse(fades).success).toBe(valid);
  });
});
