/**
 * Gapless playback: how many samples decoders must drop at each end of an MP3.
 *
 * Why: without a LAME tag saying so, decoded audio starts 576 + 529 = 1105 samples late and carries up to
 * ~1.7k samples of trailing silence. With the delay and padding in the tag, ffmpeg (Chrome), Firefox,
 * mpg123 and friends trim both ends exactly.
 *
 * Convention (LAME 3.100 `lame_encode_flush`, verified against ffmpeg + libmp3lame):
 *   audioFrames * samplesPerFrame = encoderDelay + inputSamples + padding
 * where `audioFrames` excludes the Info frame itself, `encoderDelay` is 576 and LAME picks
 *   padding = spf - ((576 + inputSamples) % spf), plus spf more if that is < 576.
 * The 529-sample decoder (synthesis filterbank) delay is NOT part of the tag; decoders add it themselves
 * (ffmpeg: start_skip_samples = delay + 528 + 1; first_discard_sample = frames * spf - padding + 529).
 */

import { SAMPLES_PER_FRAME } from './frames';

export const LAME_ENCODER_DELAY = 576;
/** Decoder delay of the MPEG audio synthesis filterbank. Decoders add this themselves. */
export const MP3_DECODER_DELAY = 529;
/** The LAME tag holds the delay and the padding in 12 bits each. */
const MAX_TAGGED_SAMPLES = 0xfff;

export interface GaplessInfo {
  /** Samples of encoder delay at the start of the decoded stream (LAME: 576). */
  encoderDelay: number;
  /** Samples of padding at the end of the decoded stream. */
  padding: number;
}

/**
 * Number of audio frames LAME 3.100 emits (after `lame_encode_flush`, without resampling) for
 * `inputSamples` samples at an MPEG-1 rate: it pads the stream to whole frames with at least 576 samples.
 */
export function lameFrameCount(inputSamples: number): number {
  const samplesToEncode = LAME_ENCODER_DELAY + inputSamples;
  let endPadding = SAMPLES_PER_FRAME - (samplesToEncode % SAMPLES_PER_FRAME);
  if (endPadding < 576) endPadding += SAMPLES_PER_FRAME;
  return (samplesToEncode + endPadding) / SAMPLES_PER_FRAME;
}

/**
 * Delay and padding for the LAME tag: `padding = frameCount * samplesPerFrame - encoderDelay - inputSamples`.
 * `frameCount` must exclude the Info frame. Throws a RangeError when the frames can't hold the samples or
 * the tag can't hold the delay or the padding.
 */
export function computeGapless({
  inputSamples,
  frameCount,
  samplesPerFrame = SAMPLES_PER_FRAME,
  encoderDelay = LAME_ENCODER_DELAY,
}: {
  /** PCM sample frames (per channel) fed to the encoder. */
  inputSamples: number;
  /** Number of MP3 audio frames, NOT counting the Info frame. */
  frameCount: number;
  /** 1152 for MPEG-1 Layer III (32/44.1/48 kHz), 576 for MPEG-2/2.5 (<= 24 kHz). */
  samplesPerFrame?: number;
  encoderDelay?: number;
}): GaplessInfo {
  const padding = frameCount * samplesPerFrame - encoderDelay - inputSamples;
  if (padding < 0) {
    throw new RangeError(
      `${frameCount} frames x ${samplesPerFrame} samples cannot hold ${encoderDelay} delay + ${inputSamples} samples`,
    );
  }
  if (encoderDelay > MAX_TAGGED_SAMPLES || padding > MAX_TAGGED_SAMPLES) {
    throw new RangeError(
      `LAME tag stores delay and padding in 12 bits (max 4095); got delay ${encoderDelay}, padding ${padding}`,
    );
  }
  return { encoderDelay, padding };
}
