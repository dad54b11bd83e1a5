/**
 * The Xing/Info frame in front of an MP3's frames: a frame without sound that says how many frames and
 * bytes follow and where each percent of the sound starts (the seek table), and, in its LAME tag, how many
 * samples decoders should trim at each end (see gapless.ts). LAME names it "Info" for a constant bitrate
 * and "Xing" otherwise. Its header has no CRC, as in LAME's own tag frame.
 */

import type { Bitrate } from '../../../bitrate';
import type { GaplessInfo } from './gapless';
import {
  layer3FrameLength,
  layer3SampleRate,
  layer3SamplesPerFrame,
  MAX_BITRATE_INDEX,
  sideInfoBytes,
} from './frame-header';

const HAS_FRAMES = 0x1;
const HAS_BYTES = 0x2;
const HAS_SEEK_TABLE = 0x4;
const HAS_QUALITY = 0x8;
const SEEK_TABLE_BYTES = 100;
/** "Info" or "Xing", flags, frame count, byte count, seek table and quality, before the LAME tag. */
const XING_FIELDS_BYTES = 4 + 4 + 4 + 4 + SEEK_TABLE_BYTES + 4;
const LAME_TAG_BYTES = 36;
/** Where the LAME tag's fields are, from its start. */
const LAME_TAG = { version: 0, vbrMethod: 9, bitrate: 20, delayAndPadding: 21, misc: 24, musicLength: 28, tagCrc: 34 };
/** Decoders only trust a tag whose version says LAME (or Lavc/Lavf) and whose CRC is right. */
const LAME_VERSION = 'LAME3.100';
const VBR_METHOD_CBR = 1;
const VBR_METHOD_UNKNOWN = 0;
/** LAME's default VBR (`-V`, "mtrh"). */
const VBR_METHOD_MTRH = 4;
/** LAME's numbering of the header's channel modes (stereo, joint stereo, dual channel, mono). */
const LAME_STEREO_MODES = [1, 3, 2, 0];

/** The frames the Info frame stands in front of. */
export interface FramesSummary {
  /** The first frame's header: the Info frame has its version, rate, channel mode and flags. */
  firstHeader: Uint8Array;
  /** Whether every frame has the first one's bitrate. */
  constantBitrate: boolean;
  frameCount: number;
  /** Where each frame starts among the frames' bytes (the first `frameCount` entries). */
  frameStarts: Uint32Array;
  framesBytes: number;
}

export interface LameTagFields {
  gapless: GaplessInfo;
  /** The bitrate the encoder was asked for (stored up to 255); 0 when unknown or variable. */
  bitrateKbps?: number;
  /** Encoded at a variable bitrate (LAME's `-V`): the tag says so, and the frame is named "Xing". */
  variable?: boolean;
}

/** The LAME tag's fields for the bitrate the encoder was asked for. */
export function lameTagBitrate(bitrate: Bitrate): Pick<LameTagFields, 'bitrateKbps' | 'variable'> {
  return typeof bitrate === 'number' ? { bitrateKbps: bitrate } : { variable: true };
}

/** CRC-16 as used by LAME for the tag and music CRCs (poly 0x8005 reflected = 0xA001, init 0; CRC-16/ARC). */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

function writeAscii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}

/**
 * The Info frame for `frames`; with `lameTag`, it carries a LAME tag saying how many samples to trim.
 * It has the stream's own bitrate, as LAME's has, unless a frame of it is too short for the Xing fields
 * and a LAME tag (the highest bitrate always holds them), so the seek table is always there.
 */
export function infoFrame(frames: FramesSummary, lameTag?: LameTagFields): Uint8Array {
  const first = frames.firstHeader;
  const version = (first[1]! >> 3) & 3;
  const rateIndex = (first[2]! >> 2) & 3;
  const xingOffset = 4 + sideInfoBytes(version, first[3]! >> 6 === 3);
  const needed = xingOffset + XING_FIELDS_BYTES + LAME_TAG_BYTES;
  let bitrateIndex = first[2]! >> 4;
  const lengthAt = (index: number) => layer3FrameLength(version, index, rateIndex, 0);
  while (bitrateIndex < MAX_BITRATE_INDEX && lengthAt(bitrateIndex) < needed) bitrateIndex++;
  const length = lengthAt(bitrateIndex);
  const frame = new Uint8Array(length);
  // No CRC; the first frame's version, layer, rate, private bit, channel mode and flags.
  frame.set([0xff, first[1]! | 1, (bitrateIndex << 4) | (rateIndex << 2) | (first[2]! & 1), first[3]!]);
  const view = new DataView(frame.buffer);
  const fileBytes = length + frames.framesBytes;
  const constantBitrate = frames.constantBitrate && !lameTag?.variable;
  writeAscii(frame, xingOffset, constantBitrate ? 'Info' : 'Xing');
  view.setUint32(xingOffset + 4, HAS_FRAMES | HAS_BYTES | HAS_SEEK_TABLE | (lameTag ? HAS_QUALITY : 0));
  view.setUint32(xingOffset + 8, frames.frameCount);
  view.setUint32(xingOffset + 12, fileBytes);
  const seekTable = xingOffset + 16;
  for (let percent = 0; percent < SEEK_TABLE_BYTES; percent++) {
    const start = length + frames.frameStarts[Math.floor((percent * frames.frameCount) / 100)]!;
    frame[seekTable + percent] = Math.min(255, Math.floor((256 * start) / fileBytes));
  }
  // After the quality field (0), the LAME tag.
  if (lameTag) writeLameTag(frame, xingOffset + XING_FIELDS_BYTES, lameTag, constantBitrate, fileBytes);
  return frame;
}

function writeLameTag(
  frame: Uint8Array,
  at: number,
  fields: LameTagFields,
  constantBitrate: boolean,
  fileBytes: number,
): void {
  const view = new DataView(frame.buffer);
  const { encoderDelay, padding } = fields.gapless;
  writeAscii(frame, at + LAME_TAG.version, LAME_VERSION);
  frame[at + LAME_TAG.vbrMethod] = fields.variable
    ? VBR_METHOD_MTRH
    : constantBitrate
      ? VBR_METHOD_CBR
      : VBR_METHOD_UNKNOWN;
  frame[at + LAME_TAG.bitrate] = Math.min(255, fields.bitrateKbps ?? 0);
  frame[at + LAME_TAG.delayAndPadding] = encoderDelay >> 4;
  frame[at + LAME_TAG.delayAndPadding + 1] = ((encoderDelay & 0xf) << 4) | (padding >> 8);
  frame[at + LAME_TAG.delayAndPadding + 2] = padding & 0xff;
  frame[at + LAME_TAG.misc] = lameMisc(frame);
  view.setUint32(at + LAME_TAG.musicLength, fileBytes);
  view.setUint16(at + LAME_TAG.tagCrc, crc16(frame.subarray(0, at + LAME_TAG.tagCrc)));
}

/** The tag's "misc" byte: LAME's stereo mode and source rate (0 up to 32 kHz, 1 44.1, 2 48, 3 above). */
function lameMisc(header: Uint8Array): number {
  const version = (header[1]! >> 3) & 3;
  const rate = layer3SampleRate(version, (header[2]! >> 2) & 3)!;
  const sourceRate = rate <= 32_000 ? 0 : rate === 44_100 ? 1 : rate === 48_000 ? 2 : 3;
  return (LAME_STEREO_MODES[header[3]! >> 6]! << 2) | (sourceRate << 6);
}

export interface InfoFrameReading {
  sampleRate: number;
  /** 1152 (MPEG-1) or 576 (MPEG-2/2.5). */
  samplesPerFrame: number;
  channels: number;
  /** Bytes of the Info frame, or null for free format. */
  frameSize: number | null;
  tagId: 'Xing' | 'Info';
  /** Audio frames after the Info frame. */
  frameCount: number | null;
  /** Bytes of the file from the Info frame on. */
  byteCount: number | null;
  seekTable: Uint8Array | null;
  lameTag: LameTagReading | null;
}

interface LameTagReading {
  vbrMethod: number;
  bitrateKbps: number;
  encoderDelay: number;
  padding: number;
  /** Whether the tag's CRC is the CRC-16 of all frame bytes before it (what ffmpeg checks). */
  crcValid: boolean;
}

/**
 * The Xing/Info frame at the start of `bytes` (the first audio frame, whoever wrote it), or null if
 * there is none or the bytes end inside the fields it announces.
 */
export function readInfoFrame(bytes: Uint8Array): InfoFrameReading | null {
  const [sync, b1 = 0, b2 = 0, b3 = 0] = bytes;
  const version = (b1 >> 3) & 3;
  if (sync !== 0xff || (b1 & 0xe0) !== 0xe0 || version === 1 || ((b1 >> 1) & 3) !== 1) return null;
  const sampleRate = layer3SampleRate(version, (b2 >> 2) & 3);
  if (b2 >> 4 === 15 || sampleRate === undefined) return null;
  const frameSize = layer3FrameLength(version, b2 >> 4, (b2 >> 2) & 3, (b2 >> 1) & 1) || null;
  const end = frameSize === null ? bytes.length : Math.min(frameSize, bytes.length);
  const channels = b3 >> 6 === 3 ? 1 : 2;
  // Side info length + 4 header bytes: same table as ffmpeg's xing_offtbl and mediabunny's getXingOffset.
  let at = 4 + sideInfoBytes(version, channels === 1);
  if (at + 8 > end) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, end);
  const tagId = String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tagId !== 'Xing' && tagId !== 'Info') return null;
  const flags = view.getUint32(at + 4);
  at += 8;
  /** Where the next field is, if the flags announce it. */
  const field = (flag: number, size: number): number | null => {
    if (!(flags & flag)) return null;
    at += size;
    return at - size;
  };
  const frameCountAt = field(HAS_FRAMES, 4);
  const byteCountAt = field(HAS_BYTES, 4);
  const seekTableAt = field(HAS_SEEK_TABLE, SEEK_TABLE_BYTES);
  field(HAS_QUALITY, 4);
  if (at > end) return null;
  return {
    sampleRate,
    samplesPerFrame: layer3SamplesPerFrame(version),
    channels,
    frameSize,
    tagId,
    frameCount: frameCountAt === null ? null : view.getUint32(frameCountAt),
    byteCount: byteCountAt === null ? null : view.getUint32(byteCountAt),
    seekTable: seekTableAt === null ? null : bytes.slice(seekTableAt, seekTableAt + SEEK_TABLE_BYTES),
    lameTag: at + LAME_TAG_BYTES <= end && bytes[at] !== 0 ? readLameTag(bytes, at) : null,
  };
}

function readLameTag(bytes: Uint8Array, at: number): LameTagReading {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, LAME_TAG_BYTES);
  const delayAndPadding = (view.getUint16(LAME_TAG.delayAndPadding) << 8) | view.getUint8(LAME_TAG.delayAndPadding + 2);
  return {
    vbrMethod: view.getUint8(LAME_TAG.vbrMethod) & 0xf,
    bitrateKbps: view.getUint8(LAME_TAG.bitrate),
    encoderDelay: delayAndPadding >>> 12,
    padding: delayAndPadding & 0xfff,
    crcValid: crc16(bytes.subarray(0, at + LAME_TAG.tagCrc)) === view.getUint16(LAME_TAG.tagCrc),
  };
}
