import { describe, expect, it } from 'vitest';
import { formatTime, parseTime, trimSchema } from '@/utils/trim';

describe('parseTime', () => {
  it.each<[string, number | undefined | null]>([
    ['', undefined],
    ['   ', undefined],
    ['0', 0],
    ['83.5', 83.5],
    ['1:23.5', 83.5],
    ['1:23,5', 83.5],
    ['01:02:03.250', 3723.25],
    ['0:05', 5],
    ['2.0001', null],
    ['1:60', null],
    ['1:75:00', null],
    ['-3', null],
    ['1m', null],
    ['1::2', null],
  ])('%j → %j', (text, expected) => {
    expect(parseTime(text)).toBe(expected);
  });
});

describe('trimSchema', () => {
  it.each([
    [{}, true],
    [{ startSeconds: 1.2 }, true],
    [{ endSeconds: 2 }, true],
    [{ startSeconds: 1, endSeconds: 2 }, true],
    [{ startSeconds: 2, endSeconds: 2 }, false],
    [{ startSeconds: 3, endSeconds: 2 }, false],
    [{ startSeconds: -1 }, false],
    [{ endSeconds: 0 }, false],
  ])('%j valid: %s', (trim, valid) => {
    expect(trimSchema.safeParse(trim).success).toBe(valid);
  });
});

describe('formatTime', () => {
  it.each<[number, string]>([
    [0, '0:00'],
    [1.2, '0:01.2'],
    [83.5, '1:23.5'],
    [600, '10:00'],
    [3723, '1:02:03'],
    [3723.25, '1:02:03.25'],
    [59.9996, '1:00'],
    [0.001, '0:00.001'],
  ])('%d → %s, which parseTime reads back', (seconds, text) => {
    expect(formatTime(seconds)).toBe(text);
    expect(parseTime(text)).toBeCloseTo(Math.round(seconds * 1000) / 1000, 9);
  });
});
