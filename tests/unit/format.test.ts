import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '@/utils/format';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [KB, '1 kB'],
    [1536, '1.5 kB'],
    [5_800_000, '5.5 MB'],
    [MB - 1, '1 MB'],
    [MB, '1 MB'],
    [GB, '1 GB'],
    [2.25 * GB, '2.3 GB'],
    [5 * 1024 * GB, '5,120 GB'],
  ])('%i bytes → %j (en-US)', (bytes, expected) => {
    expect(formatBytes(bytes, 'en-US')).toBe(expected);
  });

  it.each([
    ['de-DE', 5_800_000, '5,5 MB'],
    ['en-US', 5_800_000, '5.5 MB'],
  ])('formats numbers for %s', (locale, bytes, expected) => {
    expect(formatBytes(bytes, locale)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [0.4, '0:00'],
    [9, '0:09'],
    [59.4, '0:59'],
    [59.6, '1:00'],
    [60, '1:00'],
    [83.4, '1:23'],
    [3599, '59:59'],
    [3599.6, '1:00:00'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [36_000, '10:00:00'],
    [-1, '0:00'],
    [-3725, '0:00'],
  ])('%d seconds → %j', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
