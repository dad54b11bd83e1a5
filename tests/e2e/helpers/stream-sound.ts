import { expect } from 'vitest';
import type { GoodExpectation } from '../../../scripts/make-fixtures';
import { analyzeMp3 } from './mp3';

/** The streams are cut from clip.mp4 and encoded again: the MP3 must keep its sound's start, end and length. */
const TOLERANCE_SECONDS = 0.05;

/** Checks a stream's MP3 (Chromium's or Firefox's) against the clip it was cut from, and its title tag. */
export async function expectStreamSound(mp3Path: string, mp3Name: string, source: GoodExpectation): Promise<void> {
  const mp3 = await analyzeMp3(mp3Path);
  expect(mp3).toMatchObject({ sampleRate: 48_000, channels: 2, bitrateKbps: 192 });
  expect(Math.abs(mp3.onsetSeconds - source.onsetSeconds)).toBeLessThan(TOLERANCE_SECONDS);
  expect(Math.abs(mp3.endOfSoundSeconds - source.endOfSoundSeconds)).toBeLessThan(TOLERANCE_SECONDS);
  expect(Math.abs(mp3.durationSeconds - source.sourceAudioSeconds)).toBeLessThan(TOLERANCE_SECONDS);
  expect(mp3.titleTag).toBe(mp3Name.replace(/\.mp3$/, ''));
}
