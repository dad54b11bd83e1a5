import { describe, expect, it } from 'vitest';
import { outputChannels, outputSampleRate } from '@/utils/engines/local/audio-layout';

describe('outputSampleRate', () => {
  it.each([
    [8000, 48_000],
    [11_025, 48_000],
    [16_000, 48_000],
    [22_050, 48_000],
    [24_000, 48_000],
    [32_000, 32_000],
    [44_100, 44_100],
    [48_000, 48_000],
    [88_200, 48_000],
    [96_000, 48_000],
    [192_000, 48_000],
  ])('%i Hz → %i Hz', (source, expected) => {
    expect(outputSampleRate(source)).toBe(expected);
  });
});

describe('outputChannels', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [6, 2],
    [8, 2],
  ])('%i channels → %i', (source, expected) => {
    expect(outputChannels(source)).toBe(expected);
  });
});
