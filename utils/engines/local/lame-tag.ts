/**
 * LAME info tag ("LAME extension" of the Xing/Info header).
 *
 * Why: without it decoders don't know LAME's encoder delay and end padding. Decoded audio then starts
 * 576 + 529 = 1105 samples late and carries up to ~1.7k samples of trailing silence. Writing a LAME tag
 * with the delay/padding lets ffmpeg (Chrome), Firefox, mpg123 and friends trim both ends exactly.
 *
 * Gapless convention (LAME 3.100 `lame_encode_flush`, verified against ffmpeg + libmp3lame):
 *   audioFrames * samplesPerFrame = encoderDelay + inputSamples + padding
 * where `audioFrames` excludes the Xing/Info frame itself, `encoderDelay` is 576 and LAME picks
 *   padding = spf - ((576 + inputSamples) % spf), plus spf more if that is < 576.
 * The 529-sample decoder (synthesis filterbank) delay is NOT part of the tag; decoders add it themselves
 * (ffmpeg: start_skip_samples = delay + 528 + 1; first_discard_sample = frames * spf - padding + 529).
 *
 * A Xing frame too small for the canonical layout (TOC + quality + 36-byte LAME tag) has its TOC dropped
 * by `addLameTag` unless told otherwise: a CBR stream is sought by byte ratio. The header's protection bit
 * is cleared, as in LAME's own tag frame.
 */

import { layer3FrameLength, layer3SampleRate, layer3SamplesPerFrame, sideInfoBytes } from './mp3/frame-header';

export const LAME_ENCODER_DELAY = 576;
/** Decoder delay of the MPEG audio synthesis filterbank. Decoders add this themselves. */
export const MP3_DECODER_DELAY = 529;
export const LAME_VERSION_STRING = 'LAME3.100';

const XING_FLAG_FRAMES = 0x1;
const XING_FLAG_BYTES = 0x2;
const XING_FLAG_TOC = 0x4;
const XING_FLAG_QUALITY = 0x8;
const TOC_SIZE = 100;
/** Size of the LAME extension that follows the Xing fields: 9 version + 27 fields/CRCs. */
export const LAME_TAG_SIZE = 36;
/** Offset of the tag CRC inside the LAME extension. */
const LAME_TAG_CRC_OFFSET = 34;

export interface GaplessInfo {
  /** Samples of encoder delay at the start of the decoded stream (LAME: 576). 12 bits. */
  encoderDelay: number;
  /** Samples of padding at the end of the decoded stream. 12 bits. */
  padding: number;
}

export interface ComputeGaplessInput {
  /** PCM sample frames (per channel) fed to the encoder. */
  inputSamples: number;
  /** Number of MP3 audio frames, NOT counting the Xing/Info frame. */
  frameCount: number;
  /** 1152 for MPEG-1 Layer III (32/44.1/48 kHz), 576 for MPEG-2/2.5 (<= 24 kHz). */
  samplesPerFrame?: number;
  encoderDelay?: number;
}

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Number of audio frames LAME 3.100 emits (after `lame_encode_flush`, without resampling) for
 * `inputSamples` samples: it pads the stream to whole frames with at least 576 samples of padding.
 */
export function lameFrameCount(
  inputSamples: number,
  samplesPerFrame = 1152,
  encoderDelay = LAME_ENCODER_DELAY,
): number {
  assertNonNegativeInteger('inputSamples', inputSamples);
  assertNonNegativeInteger('samplesPerFrame', samplesPerFrame);
  assertNonNegativeInteger('encoderDelay', encoderDelay);
  if (samplesPerFrame === 0) throw new RangeError('samplesPerFrame must be positive');
  const samplesToEncode = encoderDelay + inputSamples;
  let endPadding = samplesPerFrame - (samplesToEncode % samplesPerFrame);
  if (endPadding < 576) endPadding += samplesPerFrame;
  return (samplesToEncode + endPadding) / samplesPerFrame;
}

/**
 * Delay and padding for the LAME tag: `padding = frameCount * samplesPerFrame - encoderDelay - inputSamples`.
 * `frameCount` must exclude the Xing/Info frame.
 */
export function computeGapless({
  inputSamples,
  frameCount,
  samplesPerFrame = 1152,
  encoderDelay = LAME_ENCODER_DELAY,
}: ComputeGaplessInput): GaplessInfo {
  assertNonNegativeInteger('inputSamples', inputSamples);
  assertNonNegativeInteger('frameCount', frameCount);
  assertNonNegativeInteger('samplesPerFrame', samplesPerFrame);
  assertNonNegativeInteger('encoderDelay', encoderDelay);
  const padding = frameCount * samplesPerFrame - encoderDelay - inputSamples;
  if (padding < 0) {
    throw new RangeError(
      `${frameCount} frames x ${samplesPerFrame} samples cannot hold ${encoderDelay} delay + ${inputSamples} samples`,
    );
  }
  if (encoderDelay > 0xfff || padding > 0xfff) {
    throw new RangeError(
      `LAME tag stores delay and padding in 12 bits (max 4095); got delay ${encoderDelay}, padding ${padding}`,
    );
  }
  return { encoderDelay, padding };
}

/** CRC-16 as used by LAME for the tag and music CRCs (poly 0x8005 reflected = 0xA001, init 0; CRC-16/ARC). */
export function crc16Lame(bytes: Uint8Array, crc = 0): number {
  let c = crc & 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i] ?? 0;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  }
  return c;
}

export interface XingFrameInfo {
  /** 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5 (header bits). */
  mpegVersionId: number;
  sampleRate: number;
  /** 1152 (MPEG-1) or 576 (MPEG-2/2.5). */
  samplesPerFrame: number;
  /** 1 for mono, 2 otherwise. */
  channels: number;
  /** Header channel mode: 0 stereo, 1 joint stereo, 2 dual channel, 3 mono. */
  channelMode: number;
  /** Frame length from the header, or null for free format. */
  frameSize: number | null;
  /** Bytes of the frame that may be written: min(frame length, input length). */
  usableSize: number;
  /** Offset of "Xing"/"Info" from the frame start. */
  xingOffset: number;
  tagId: 'Xing' | 'Info';
  flags: number;
  frameCount: number | null;
  byteCount: number | null;
  toc: Uint8Array | null;
  quality: number | null;
  /** Offset right after the Xing fields the flags announce, where a LAME tag would start. */
  lameTagOffset: number;
}

/** Parses the MPEG header and Xing/Info fields of a Layer III frame. Throws if it isn't one. */
export function parseXingFrame(frame: Uint8Array): XingFrameInfo {
  if (frame.length < 4) throw new Error('Not an MP3 Xing/Info frame: fewer than 4 bytes');
  const b1 = frame[1] ?? 0;
  const b2 = frame[2] ?? 0;
  const b3 = frame[3] ?? 0;
  if (frame[0] !== 0xff || (b1 & 0xe0) !== 0xe0) {
    throw new Error('Not an MP3 Xing/Info frame: no MPEG audio frame sync at the start');
  }
  const mpegVersionId = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  if (mpegVersionId === 1) throw new Error('Not an MP3 Xing/Info frame: reserved MPEG version');
  if (layerBits !== 1) throw new Error('Not an MP3 Xing/Info frame: not MPEG Layer III');
  const bitrateIndex = b2 >> 4;
  const srIndex = (b2 >> 2) & 3;
  const paddingBit = (b2 >> 1) & 1;
  if (bitrateIndex === 15 || srIndex === 3) {
    throw new Error('Not an MP3 Xing/Info frame: invalid bitrate or sample rate index');
  }
  const sampleRate = layer3SampleRate(mpegVersionId, srIndex)!;
  const samplesPerFrame = layer3SamplesPerFrame(mpegVersionId);
  const frameSize = layer3FrameLength(mpegVersionId, bitrateIndex, srIndex, paddingBit) || null;
  const usableSize = frameSize === null ? frame.length : Math.min(frameSize, frame.length);
  const channelMode = b3 >> 6;
  const channels = channelMode === 3 ? 1 : 2;
  // Side info length + 4 header bytes: same table as ffmpeg's xing_offtbl and mediabunny's getXingOffset.
  const xingOffset = 4 + sideInfoBytes(mpegVersionId, channels === 1);

  const view = new DataView(frame.buffer, frame.byteOffset, usableSize);
  if (usableSize < xingOffset + 8) throw new Error('Not an MP3 Xing/Info frame: too short for a Xing header');
  const id = String.fromCharCode(...frame.subarray(xingOffset, xingOffset + 4));
  if (id !== 'Xing' && id !== 'Info') {
    throw new Error(`No Xing/Info header in the frame (expected "Xing" or "Info" at byte ${xingOffset})`);
  }
  const flags = view.getUint32(xingOffset + 4);
  let pos = xingOffset + 8;
  const need = (n: number, what: string) => {
    if (pos + n > usableSize) throw new Error(`Xing header truncated: ${what} does not fit in the frame`);
  };
  let frameCount: number | null = null;
  let byteCount: number | null = null;
  let toc: Uint8Array | null = null;
  let quality: number | null = null;
  if (flags & XING_FLAG_FRAMES) {
    need(4, 'frame count');
    frameCount = view.getUint32(pos);
    pos += 4;
  }
  if (flags & XING_FLAG_BYTES) {
    need(4, 'byte count');
    byteCount = view.getUint32(pos);
    pos += 4;
  }
  if (flags & XING_FLAG_TOC) {
    need(TOC_SIZE, 'TOC');
    toc = frame.slice(pos, pos + TOC_SIZE);
    pos += TOC_SIZE;
  }
  if (flags & XING_FLAG_QUALITY) {
    need(4, 'quality');
    quality = view.getUint32(pos);
    pos += 4;
  }
  return {
    mpegVersionId,
    sampleRate,
    samplesPerFrame,
    channels,
    channelMode,
    frameSize,
    usableSize,
    xingOffset,
    tagId: id,
    flags,
    frameCount,
    byteCount,
    toc,
    quality,
    lameTagOffset: pos,
  };
}

export interface LameTagInfo {
  encoderVersion: string;
  revision: number;
  vbrMethod: number;
  lowpassHz: number;
  bitrateKbps: number;
  encoderDelay: number;
  padding: number;
  misc: number;
  musicLength: number;
  musicCrc: number;
  tagCrc: number;
  /** Whether tagCrc equals the CRC-16 of all frame bytes before it (what ffmpeg checks). */
  crcValid: boolean;
}

/** Reads the LAME extension after the Xing fields, or returns null if there is none. */
export function readLameTag(frame: Uint8Array): LameTagInfo | null {
  const info = parseXingFrame(frame);
  const at = info.lameTagOffset;
  if (at + LAME_TAG_SIZE > info.usableSize) return null;
  const tag = frame.subarray(at, at + LAME_TAG_SIZE);
  if ((tag[0] ?? 0) === 0) return null;
  const view = new DataView(tag.buffer, tag.byteOffset, LAME_TAG_SIZE);
  const versionBytes = tag.subarray(0, 9);
  const nul = versionBytes.indexOf(0);
  const encoderVersion = String.fromCharCode(...(nul === -1 ? versionBytes : versionBytes.subarray(0, nul)));
  const delayPadding = (view.getUint16(21) << 8) | view.getUint8(23);
  const tagCrc = view.getUint16(LAME_TAG_CRC_OFFSET);
  return {
    encoderVersion,
    revision: view.getUint8(9) >> 4,
    vbrMethod: view.getUint8(9) & 0xf,
    lowpassHz: view.getUint8(10) * 100,
    bitrateKbps: view.getUint8(20),
    encoderDelay: delayPadding >>> 12,
    padding: delayPadding & 0xfff,
    misc: view.getUint8(24),
    musicLength: view.getUint32(28),
    musicCrc: view.getUint16(32),
    tagCrc,
    crcValid: crc16Lame(frame.subarray(0, at + LAME_TAG_CRC_OFFSET)) === tagCrc,
  };
}

export interface AddLameTagOptions {
  /**
   * What to do with the 100-byte seek TOC. 'auto' (default): keep it if the LAME tag still fits, else drop it.
   * 'keep': keep it and throw if there's no room. 'drop': always drop it.
   */
  toc?: 'auto' | 'keep' | 'drop';
  /** Overwrites the Xing "frames" field (audio frames, excluding the Xing frame) and sets its flag. */
  frameCount?: number;
  /** Rewrites the Xing identifier; LAME writes "Info" for CBR and "Xing" for VBR/ABR. Default: unchanged. */
  tagId?: 'Xing' | 'Info';
  /** VBR quality field (0 = best, 100 = worst). Added if missing, as LAME always writes it. Default: kept or 0. */
  quality?: number;
  /** 9-byte encoder version string; must start with "LAME" (or "Lavc"/"Lavf") for decoders to trust it. */
  encoderVersion?: string;
  /** LAME tag VBR method nibble: 0 unknown, 1 CBR, 2 ABR, 3-5 VBR. Default 0. */
  vbrMethod?: number;
  /** Lowpass frequency in Hz (stored /100). Default 0 (unknown). */
  lowpassHz?: number;
  /** CBR bitrate / ABR target / VBR minimum, kbps (stored up to 255). Default 0. */
  bitrateKbps?: number;
  /** "Music length" field. Default: the Xing byte count (LAME writes the same value), else 0. */
  musicLength?: number;
  /** CRC-16 of the audio frames (optional, no decoder we know checks it). Default 0. */
  musicCrc?: number;
  /** Clear the header's protection bit, i.e. "no CRC follows the header" (as LAME's tag frame). Default true. */
  clearProtectionBit?: boolean;
}

function misc(info: XingFrameInfo): number {
  const stereoMode = [1, 3, 2, 0][info.channelMode] ?? 7; // LAME's numbering: 0 mono, 1 stereo, 2 dual, 3 joint
  const sr = info.sampleRate;
  const sourceFreq = sr <= 32000 ? 0 : sr === 44100 ? 1 : sr === 48000 ? 2 : 3;
  return (stereoMode << 2) | (sourceFreq << 6);
}

/**
 * Returns a copy of `xingFrame` (same length) carrying a LAME info tag with the given encoder delay and
 * padding, placed right after the Xing fields, CRC included. Throws if the frame has no Xing/Info header
 * or no room for the tag.
 */
export function addLameTag(
  xingFrame: Uint8Array,
  gapless: GaplessInfo,
  options: AddLameTagOptions = {},
): Uint8Array {
  const info = parseXingFrame(xingFrame);
  const { encoderDelay, padding } = gapless;
  assertNonNegativeInteger('encoderDelay', encoderDelay);
  assertNonNegativeInteger('padding', padding);
  if (encoderDelay > 0xfff || padding > 0xfff) {
    throw new RangeError(`LAME tag delay/padding are 12-bit fields; got ${encoderDelay}/${padding}`);
  }
  const version = options.encoderVersion ?? LAME_VERSION_STRING;
  if (version.length === 0 || version.length > 9 || !/^[\x20-\x7e]+$/.test(version)) {
    throw new Error(`encoderVersion must be 1-9 printable ASCII characters, got ${JSON.stringify(version)}`);
  }
  if (options.frameCount !== undefined) assertNonNegativeInteger('frameCount', options.frameCount);

  const tocMode = options.toc ?? 'auto';
  const xingFieldsEnd = (withToc: boolean) => {
    let end = info.xingOffset + 8;
    if (info.flags & XING_FLAG_FRAMES || options.frameCount !== undefined) end += 4;
    if (info.flags & XING_FLAG_BYTES) end += 4;
    if (withToc) end += TOC_SIZE;
    return end + 4; // quality
  };
  const hasToc = info.toc !== null;
  const fits = (withToc: boolean) => xingFieldsEnd(withToc) + LAME_TAG_SIZE <= info.usableSize;
  let keepToc: boolean;
  if (tocMode === 'drop' || !hasToc) keepToc = false;
  else if (tocMode === 'keep' || fits(true)) keepToc = true;
  else keepToc = false;
  if (!fits(keepToc)) {
    throw new Error(
      `No room for a LAME tag: the ${info.usableSize}-byte frame has its Xing header at byte ${info.xingOffset} and needs ` +
        `${xingFieldsEnd(keepToc) + LAME_TAG_SIZE} bytes${keepToc ? ' with the TOC kept (try toc: "auto")' : ''}`,
    );
  }

  const out = new Uint8Array(xingFrame);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (options.clearProtectionBit ?? true) out[1] = (out[1] ?? 0) | 0x01;
  // Rebuild the Xing fields, then the LAME tag, and zero the rest of the frame.
  out.fill(0, info.xingOffset, info.usableSize);
  let pos = info.xingOffset;
  const id = options.tagId ?? info.tagId;
  for (let i = 0; i < 4; i++) out[pos + i] = id.charCodeAt(i);
  pos += 4;
  let flags = (info.flags & ~XING_FLAG_TOC) | XING_FLAG_QUALITY;
  if (keepToc) flags |= XING_FLAG_TOC;
  const frameCount = options.frameCount ?? info.frameCount;
  if (frameCount !== null) flags |= XING_FLAG_FRAMES;
  view.setUint32(pos, flags >>> 0);
  pos += 4;
  if (frameCount !== null) {
    view.setUint32(pos, frameCount);
    pos += 4;
  }
  if (info.byteCount !== null) {
    view.setUint32(pos, info.byteCount);
    pos += 4;
  }
  if (keepToc && info.toc) {
    out.set(info.toc, pos);
    pos += TOC_SIZE;
  }
  view.setUint32(pos, Math.max(0, Math.min(100, Math.round(options.quality ?? info.quality ?? 0))));
  pos += 4;

  const tagStart = pos;
  for (let i = 0; i < version.length; i++) out[pos + i] = version.charCodeAt(i);
  pos += 9;
  out[pos++] = (0 << 4) | ((options.vbrMethod ?? 0) & 0xf); // tag revision 0 + VBR method
  out[pos++] = Math.min(255, Math.max(0, Math.round((options.lowpassHz ?? 0) / 100)));
  pos += 4; // ReplayGain peak
  pos += 2; // radio ReplayGain
  pos += 2; // audiophile ReplayGain
  pos += 1; // encoding flags + ATH type
  out[pos++] = Math.min(255, Math.max(0, Math.round(options.bitrateKbps ?? 0)));
  out[pos++] = encoderDelay >> 4;
  out[pos++] = ((encoderDelay & 0xf) << 4) | (padding >> 8);
  out[pos++] = padding & 0xff;
  out[pos++] = misc(info);
  pos += 1; // MP3 gain
  pos += 2; // preset + surround info
  view.setUint32(pos, (options.musicLength ?? info.byteCount ?? 0) >>> 0);
  pos += 4;
  view.setUint16(pos, (options.musicCrc ?? 0) & 0xffff);
  pos += 2;
  if (pos !== tagStart + LAME_TAG_CRC_OFFSET) throw new Error('internal: LAME tag layout mismatch');
  view.setUint16(pos, crc16Lame(out.subarray(0, pos)));
  return out;
}
