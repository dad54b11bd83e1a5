/** MPEG audio Layer III frame headers (ISO/IEC 11172-3, 13818-3): what every reader and writer of frames here needs. */

/** Header version bits: 3 is MPEG-1, 2 MPEG-2, 0 MPEG-2.5 (1 is reserved). */
export const MPEG1 = 3;

const KBPS_MPEG1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const KBPS_MPEG2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/** The highest bitrate index (15 is invalid). */
export const MAX_BITRATE_INDEX = KBPS_MPEG1.length - 1;
const RATES_MPEG1 = [44_100, 48_000, 32_000];

/** Kbps of a bitrate index; 0 for free format (index 0) and the invalid index 15. */
export function layer3Kbps(version: number, bitrateIndex: number): number {
  return (version === MPEG1 ? KBPS_MPEG1 : KBPS_MPEG2)[bitrateIndex] ?? 0;
}

/** Hz of a rate index, or undefined for the reserved index 3. */
export function layer3SampleRate(version: number, rateIndex: number): number | undefined {
  const rate = RATES_MPEG1[rateIndex];
  return rate === undefined ? undefined : rate / (version === MPEG1 ? 1 : version === 2 ? 2 : 4);
}

export function layer3SamplesPerFrame(version: number): number {
  return version === MPEG1 ? 1152 : 576;
}

/** Bytes of side information after the 4-byte header. */
export function sideInfoBytes(version: number, mono: boolean): number {
  return version === MPEG1 ? (mono ? 17 : 32) : mono ? 9 : 17;
}

/** Bytes of a frame with these header fields; 0 for free format or an invalid bitrate or rate. */
export function layer3FrameLength(version: number, bitrateIndex: number, rateIndex: number, padding: number): number {
  const kbps = layer3Kbps(version, bitrateIndex);
  const rate = layer3SampleRate(version, rateIndex);
  if (kbps === 0 || rate === undefined) return 0;
  return Math.floor(((layer3SamplesPerFrame(version) / 8) * kbps * 1000) / rate) + padding;
}

/** Length of the Layer III frame whose header starts at `offset`, or 0 where there is none (or its bitrate is free format). */
export function layer3FrameLengthAt(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length || bytes[offset] !== 0xff) return 0;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const version = (b1 >> 3) & 3;
  if ((b1 & 0xe0) !== 0xe0 || version === 1 || ((b1 >> 1) & 3) !== 1) return 0;
  return layer3FrameLength(version, b2 >> 4, (b2 >> 2) & 3, (b2 >> 1) & 1);
}
