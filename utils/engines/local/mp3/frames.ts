/**
 * MPEG-1 Layer III frames as LAME writes them: enough of the header and side information to move a
 * frame's main data around the bit reservoir (ISO/IEC 11172-3, 2.4.1.7).
 */

export const SAMPLES_PER_FRAME = 1152;
const HEADER_BYTES = 4;
export const MAX_MAIN_DATA_BEGIN = 511;
const BITRATES_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1];
const SAMPLE_RATES = [44_100, 48_000, 32_000];
/** Bits per granule and channel in the side information; `part2_3_length` is the first 12. */
const GRANULE_CHANNEL_BITS = 59;

export interface Mp3Frame {
  /** Header and side information, with `main_data_begin` as the encoder wrote it. */
  head: Uint8Array;
  /** Bytes after the side information: this frame's share of the reservoir-packed main data. */
  payloadSize: number;
  /** How far back (bytes of earlier payloads) this frame's main data starts. */
  mainDataBegin: number;
  /** Main data bytes of this frame (`part2_3_length` of every granule and channel, rounded up). */
  mainDataSize: number;
}

export class Mp3FrameError extends Error {
  override name = 'Mp3FrameError';
}

function readBits(bytes: Uint8Array, bitOffset: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    value = (value << 1) | (((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
  }
  return value;
}

function writeBits(bytes: Uint8Array, bitOffset: number, count: number, value: number): void {
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    const mask = 1 << (7 - (bit & 7));
    const on = (value >> (count - 1 - i)) & 1;
    bytes[bit >> 3] = on ? (bytes[bit >> 3] ?? 0) | mask : (bytes[bit >> 3] ?? 0) & ~mask;
  }
}

/** Parses the frame starting at `offset`; throws unless it is an MPEG-1 Layer III frame without CRC. */
export function parseFrame(bytes: Uint8Array, offset: number): Mp3Frame & { size: number } {
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  const b3 = bytes[offset + 3] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xfe) !== 0xfa) {
    throw new Mp3FrameError(`no MPEG-1 Layer III frame without CRC at byte ${offset}`);
  }
  const kbps = BITRATES_KBPS[b2 >> 4] ?? -1;
  const sampleRate = SAMPLE_RATES[(b2 >> 2) & 3];
  if (kbps <= 0 || sampleRate === undefined) throw new Mp3FrameError(`unsupported bitrate or sample rate at byte ${offset}`);
  const size = Math.floor((144_000 * kbps) / sampleRate) + ((b2 >> 1) & 1);
  const channels = b3 >> 6 === 3 ? 1 : 2;
  const sideInfoBytes = channels === 1 ? 17 : 32;
  const headSize = HEADER_BYTES + sideInfoBytes;
  if (offset + size > bytes.length) throw new Mp3FrameError(`frame at byte ${offset} is cut short`);
  const head = bytes.slice(offset, offset + headSize);
  const sideInfo = head.subarray(HEADER_BYTES);
  const granuleBase = channels === 1 ? 18 : 20;
  let mainDataBits = 0;
  for (let entry = 0; entry < 2 * channels; entry++) {
    mainDataBits += readBits(sideInfo, granuleBase + entry * GRANULE_CHANNEL_BITS, 12);
  }
  return {
    head,
    size,
    payloadSize: size - headSize,
    mainDataBegin: readBits(sideInfo, 0, 9),
    mainDataSize: Math.ceil(mainDataBits / 8),
  };
}

export interface ParsedStream {
  frames: Mp3Frame[];
  /** Every frame's payload, back to back: where `mainDataBegin` points into. */
  payloads: Uint8Array;
  /** Start of each frame's payload in `payloads`. */
  payloadOffsets: number[];
}

/** Splits a raw LAME stream (no ID3 tag, no Xing frame) into frames. */
export function parseStream(bytes: Uint8Array): ParsedStream {
  const frames: Mp3Frame[] = [];
  const payloadOffsets: number[] = [];
  const payloads = new Uint8Array(bytes.length);
  let payloadLength = 0;
  for (let offset = 0; offset < bytes.length; ) {
    const frame = parseFrame(bytes, offset);
    payloadOffsets.push(payloadLength);
    payloads.set(bytes.subarray(offset + frame.head.length, offset + frame.size), payloadLength);
    payloadLength += frame.payloadSize;
    frames.push({ head: frame.head, payloadSize: frame.payloadSize, mainDataBegin: frame.mainDataBegin, mainDataSize: frame.mainDataSize });
    offset += frame.size;
  }
  return { frames, payloads: payloads.subarray(0, payloadLength), payloadOffsets };
}

/** The main data of frame `index` of a parsed stream. */
export function mainDataOf(stream: ParsedStream, index: number): Uint8Array {
  const frame = stream.frames[index];
  const payloadStart = stream.payloadOffsets[index];
  if (!frame || payloadStart === undefined) throw new RangeError(`no frame ${index}`);
  const start = payloadStart - frame.mainDataBegin;
  if (start < 0) throw new Mp3FrameError(`frame ${index} points ${frame.mainDataBegin} bytes back, before the stream starts`);
  return stream.payloads.subarray(start, start + frame.mainDataSize);
}

/**
 * Lays frames out again with their main data packed into the bit reservoir as early as it may go,
 * so that frames cut from independently encoded streams join into one valid stream.
 * Frames are written out once nothing later can reach back into them.
 */
export class ReservoirPacker {
  /** Free payload bytes just before the next frame's payload that its main data may use. */
  private reservoir = 0;
  private pending: { bytes: Uint8Array; headSize: number; payloadStart: number }[] = [];
  private payloadWritten = 0;

  constructor(private readonly emit: (frame: Uint8Array) => void) {}

  get availableReservoir(): number {
    return this.reservoir;
  }

  push(frame: Mp3Frame, mainData: Uint8Array): void {
    const mainDataBegin = Math.min(this.reservoir, MAX_MAIN_DATA_BEGIN);
    if (mainData.length > mainDataBegin + frame.payloadSize) {
      throw new Mp3FrameError(`a frame's ${mainData.length} bytes of main data don't fit in the reservoir`);
    }
    const headSize = frame.head.length;
    const bytes = new Uint8Array(headSize + frame.payloadSize);
    bytes.set(frame.head);
    writeBits(bytes, HEADER_BYTES * 8, 9, mainDataBegin);
    this.pending.push({ bytes, headSize, payloadStart: this.payloadWritten });
    const mainDataStart = this.payloadWritten - mainDataBegin;
    this.payloadWritten += frame.payloadSize;

    let written = 0;
    for (const target of this.pending) {
      if (written === mainData.length) break;
      const targetEnd = target.payloadStart + target.bytes.length - target.headSize;
      const at = mainDataStart + written;
      if (at >= targetEnd) continue;
      const count = Math.min(targetEnd - at, mainData.length - written);
      target.bytes.set(mainData.subarray(written, written + count), target.headSize + (at - target.payloadStart));
      written += count;
    }
    const mainDataEnd = mainDataStart + mainData.length;
    this.reservoir = this.payloadWritten - mainDataEnd;
    this.release(mainDataEnd);
  }

  /** Writes out every frame still held. */
  finish(): void {
    this.release(Number.POSITIVE_INFINITY);
  }

  /** Frames whose payload ends before `mainDataEnd` can't receive main data any more. */
  private release(mainDataEnd: number): void {
    while (this.pending.length > 0) {
      const first = this.pending[0]!;
      if (first.payloadStart + first.bytes.length - first.headSize > mainDataEnd) break;
      this.pending.shift();
      this.emit(first.bytes);
    }
  }
}
