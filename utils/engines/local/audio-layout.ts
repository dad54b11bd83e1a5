const KEPT_SAMPLE_RATES = [32_000, 44_100, 48_000];

/** MP3 keeps 32, 44.1 and 48 kHz; every other rate is resampled to 48 kHz. */
export function outputSampleRate(sourceRate: number): number {
  return KEPT_SAMPLE_RATES.includes(sourceRate) ? sourceRate : 48_000;
}

/** Mono stays mono; stereo and surround become stereo. */
export function outputChannels(sourceChannels: number): 1 | 2 {
  return sourceChannels <= 1 ? 1 : 2;
}
