/**
 * MPEG-1 Layer III frames as LAME writes them: enough of the header and side information to move a
 * frame's main data around the bit reservoir (ISO/IEC 11172-3, 2.4.1.7).
 */

import { layer3FrameLength, MAX_BITRATE_INDEX, MPEG1, sideInfoBytes } from './frame-header';

export const SAMPLES_PER_FRAME = 1152;
const HEADER_BYTES = 4;
export const MAX_MAIN_DATA_BEGIN = 511;
/** Bits per granule and channel in the side information; `part2_3_length` is the first 12. */
const GRANULE_CHANNEL_BITS = 59;

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

/** Size of the frame at `offset`, with its header and side information; throws unless it is an MPEG-1 Layer III frame without CRC. */
function frameAt(bytes: Uint8Array, offset: number): { size: number; headSize: number } {
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  const b3 = bytes[offset + 3] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xfe) !== 0xfa) {
    throw new Mp3FrameError(`no MPEG-1 Layer III frame without CRC at byte ${offset}`);
  }
  const size = layer3FrameLength(MPEG1, b2 >> 4, (b2 >> 2) & 3, (b2 >> 1) & 1);
  if (size === 0) throw new Mp3FrameError(`unsupported bitrate or sample rate at byte ${offset}`);
  if (offset + size > bytes.length) throw new Mp3FrameError(`frame at byte ${offset} is cut short`);
  return { size, headSize: HEADER_BYTES + sideInfoBytes(MPEG1, b3 >> 6 === 3) };
}

/**
 * A raw LAME stream (no ID3 tag, no Xing frame) split into frames. The frames' fields sit in typed
 * arrays and their payloads back to back in the stream's own buffer: a segment of hundreds of frames
 * that waits to be joined is a handful of objects for the garbage collector, not hundreds.
 */
export class ParsedStream {
  readonly frameCount: number;
  /** Bytes of header and side information, the same in every frame of a stream. */
  readonly headSize: number;
  /** Every frame's header and side information, back to back, with `main_data_begin` as the encoder wrote it. */
  private readonly heads: Uint8Array;
  /** Where each frame's payload starts in `payloads`, and then where the last one ends. */
  private readonly payloadStarts: Uint32Array;
  /** How far back (bytes of earlier payloads) each frame's main data starts. */
  readonly mainDataBegins: Uint16Array;
  /** Main data bytes of each frame (`part2_3_length` of every granule and channel, rounded up). */
  readonly mainDataSizes: Uint16Array;
  /** Every frame's payload (the bytes after its side information), back to back: where `main_data_begin` points into. */
  private readonly payloads: Uint8Array;

  /** Splits `bytes`, moving the payloads together within it. */
  constructor(bytes: Uint8Array) {
    let frameCount = 0;
    let headSize = 0;
    for (let offset = 0; offset < bytes.length; frameCount++) {
      const frame = frameAt(bytes, offset);
      if (headSize !== 0 && frame.headSize !== headSize)
        throw new Mp3FrameError(`frame at byte ${offset} changes the channel count`);
      headSize = frame.headSize;
      offset += frame.size;
    }
    this.frameCount = frameCount;
    this.headSize = headSize;
    this.heads = new Uint8Array(frameCount * headSize);
    this.payloadStarts = new Uint32Array(frameCount + 1);
    this.mainDataBegins = new Uint16Array(frameCount);
    this.mainDataSizes = new Uint16Array(frameCount);
    const channels = headSize === HEADER_BYTES + 17 ? 1 : 2;
    const granuleBase = HEADER_BYTES * 8 + (channels === 1 ? 18 : 20);
    let payloadEnd = 0;
    for (let index = 0, offset = 0; index < frameCount; index++) {
      const { size } = frameAt(bytes, offset);
      for (let byte = 0; byte < headSize; byte++) this.heads[index * headSize + byte] = bytes[offset + byte]!;
      let mainDataBits = 0;
      for (let entry = 0; entry < 2 * channels; entry++)
        mainDataBits += readBits(bytes, offset * 8 + granuleBase + entry * GRANULE_CHANNEL_BITS, 12);
      this.mainDataBegins[index] = readBits(bytes, (offset + HEADER_BYTES) * 8, 9);
      this.mainDataSizes[index] = Math.ceil(mainDataBits / 8);
      this.payloadStarts[index] = payloadEnd;
      bytes.copyWithin(payloadEnd, offset + headSize, offset + size);
      payloadEnd += size - headSize;
      offset += size;
    }
    this.payloadStarts[frameCount] = payloadEnd;
    this.payloads = bytes.subarray(0, payloadEnd);
  }

  /** Bytes after frame `index`'s side information: its share of the reservoir-packed main data. */
  payloadSize(index: number): number {
    return this.payloadStarts[index + 1]! - this.payloadStarts[index]!;
  }

  /** Byte 2 of frame `index`'s header: its bitrate index, rate index, padding and private bits. */
  rateByte(index: number): number {
    return this.heads[index * this.headSize + 2]!;
  }

  /** Copies frame `index`'s header and side information to `target` at `at`. */
  copyHead(index: number, target: Uint8Array, at: number): void {
    const from = index * this.headSize;
    for (let byte = 0; byte < this.headSize; byte++) target[at + byte] = this.heads[from + byte]!;
  }

  /** Copies bytes [from, from + count) of frame `index`'s main data to `target` at `at`. */
  copyMainData(index: number, from: number, count: number, target: Uint8Array, at: number): void {
    const start = this.payloadStarts[index]! - this.mainDataBegins[index]!;
    if (start < 0)
      throw new Mp3FrameError(
        `frame ${index} points ${this.mainDataBegins[index]} bytes back, before the stream starts`,
      );
    target.set(this.payloads.subarray(start + from, start + from + count), at);
  }
}

const PACKED_EMIT_BYTES = 32 * 1024;

/** Payload bytes of a frame with this header byte 2 at bitrate index `bitrateIndex`, without padding. */
function payloadAt(rateByte: number, bitrateIndex: number, headSize: number): number {
  return layer3FrameLength(MPEG1, bitrateIndex, (rateByte >> 2) & 3, 0) - headSize;
}

/** The most payload a frame with this header byte 2 can have: at 320 kbps. */
export function largestPayload(rateByte: number, headSize: number): number {
  return payloadAt(rateByte, MAX_BITRATE_INDEX, headSize);
}

/**
 * Byte 2 of a header for the same frame at the lowest bitrate above its own whose payload holds
 * `payloadBytes` (320 kbps if none does), without padding.
 */
function grownRateByte(rateByte: number, headSize: number, payloadBytes: number): number {
  let bitrateIndex = (rateByte >> 4) + 1;
  while (bitrateIndex < MAX_BITRATE_INDEX && payloadAt(rateByte, bitrateIndex, headSize) < payloadBytes) bitrateIndex++;
  return (bitrateIndex << 4) | (rateByte & 0x0d);
}

/**
 * Lays frames out again with their main data packed into the bit reservoir as early as it may go,
 * so that frames cut from independently encoded streams join into one valid stream.
 * Frames are laid out in one buffer it keeps, and handed out in runs of tens of kilobytes once nothing
 * later can reach back into them.
 */
export class ReservoirPacker {
  /** Free payload bytes just before the next frame's payload that its main data may use. */
  private reservoir = 0;
  private buffer = new Uint8Array(4 * PACKED_EMIT_BYTES);
  /** Bytes of `buffer` laid out; those before the first pending frame are finished. */
  private used = 0;
  /** Frames that may still receive main data: where each starts in `buffer`, and its payload in the stream's payload bytes. */
  private readonly pendingStarts: number[] = [];
  private readonly pendingPayloadStarts: number[] = [];
  private headSize = 0;
  private payloadWritten = 0;

  /** `emit` gets finished frames, whole, in order; the bytes are reused once it returns. */
  constructor(private readonly emit: (frames: Uint8Array) => void) {}

  get availableReservoir(): number {
    return this.reservoir;
  }

  /**
   * Lays out frame `index` of `stream`. With `grow` (a variable bitrate stream), a frame whose main data
   * doesn't fit what the reservoir has left, or that would leave less than `grow.reservoirAfter` for the
   * frames after it, gets a higher bitrate instead (as high as it takes, up to 320 kbps); its main data
   * stays as it is.
   */
  push(stream: ParsedStream, index: number, grow?: { reservoirAfter: number }): void {
    const mainDataBegin = Math.min(this.reservoir, MAX_MAIN_DATA_BEGIN);
    let payloadSize = stream.payloadSize(index);
    let rateByte = stream.rateByte(index);
    const mainDataSize = stream.mainDataSizes[index]!;
    const wanted = mainDataSize - mainDataBegin + (grow?.reservoirAfter ?? 0);
    if (grow && payloadSize < wanted) {
      rateByte = grownRateByte(rateByte, stream.headSize, wanted);
      payloadSize = payloadAt(rateByte, rateByte >> 4, stream.headSize);
    }
    if (mainDataSize > mainDataBegin + payloadSize) {
      throw new Mp3FrameError(`a frame's ${mainDataSize} bytes of main data don't fit in the reservoir`);
    }
    this.headSize = stream.headSize;
    const start = this.used;
    this.makeRoom(stream.headSize + payloadSize);
    stream.copyHead(index, this.buffer, start);
    this.buffer[start + 2] = rateByte;
    writeBits(this.buffer, (start + HEADER_BYTES) * 8, 9, mainDataBegin);
    this.buffer.fill(0, start + stream.headSize, start + stream.headSize + payloadSize);
    this.used += stream.headSize + payloadSize;
    this.pendingStarts.push(start);
    this.pendingPayloadStarts.push(this.payloadWritten);
    const mainDataStart = this.payloadWritten - mainDataBegin;
    this.payloadWritten += payloadSize;

    let written = 0;
    for (let pending = 0; pending < this.pendingStarts.length && written < mainDataSize; pending++) {
      const payloadStart = this.pendingPayloadStarts[pending]!;
      const payloadEnd = this.pendingPayloadStarts[pending + 1] ?? this.payloadWritten;
      const at = mainDataStart + written;
      if (at >= payloadEnd) continue;
      const count = Math.min(payloadEnd - at, mainDataSize - written);
      stream.copyMainData(
        index,
        written,
        count,
        this.buffer,
        this.pendingStarts[pending]! + this.headSize + (at - payloadStart),
      );
      written += count;
    }
    const mainDataEnd = mainDataStart + mainDataSize;
    this.reservoir = this.payloadWritten - mainDataEnd;
    this.release(mainDataEnd);
    if (this.finishedBytes >= PACKED_EMIT_BYTES) this.emitFinished();
  }

  /** Hands out every frame still held. */
  finish(): void {
    this.release(Number.POSITIVE_INFINITY);
    this.emitFinished();
  }

  private get finishedBytes(): number {
    return this.pendingStarts[0] ?? this.used;
  }

  /** Frames whose payload ends before `mainDataEnd` can't receive main data any more. */
  private release(mainDataEnd: number): void {
    while (this.pendingStarts.length > 0) {
      const payloadEnd = this.pendingPayloadStarts[1] ?? this.payloadWritten;
      if (payloadEnd > mainDataEnd) break;
      this.pendingStarts.shift();
      this.pendingPayloadStarts.shift();
    }
  }

  private emitFinished(): void {
    const finished = this.finishedBytes;
    if (finished === 0) return;
    this.emit(this.buffer.subarray(0, finished));
    this.buffer.copyWithin(0, finished, this.used);
    this.used -= finished;
    for (let pending = 0; pending < this.pendingStarts.length; pending++) this.pendingStarts[pending]! -= finished;
  }

  private makeRoom(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.used + bytes));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }
}
