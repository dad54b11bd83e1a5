import { vbrQuality, type Bitrate } from '../../../bitrate';
import { ParsedStream, SAMPLES_PER_FRAME } from './frames';
import { planesChunk, type PcmChunk } from '../audio-planes';
import { DEFAULT_SEGMENT_PLAN, SegmentJoiner, segmentInputFrames, type SegmentPlan } from './segment-joiner';

export interface Mp3Format {
  sampleRate: number;
  channels: number;
  bitrate: Bitrate;
}

/** Encodes one segment of planar PCM into a raw LAME stream (no Xing frame, flushed at the end). */
export type EncodeSegment = (planes: Float32Array[], format: Mp3Format) => Promise<Uint8Array>;

/**
 * Planes for a segment's PCM. An encoder pool hands back planes its workers have finished with, so
 * a long conversion reuses a few buffers instead of leaving one behind, for the GC, per segment.
 */
export type AllocatePlanes = (channels: number, length: number) => Float32Array[];

const freshPlanes: AllocatePlanes = (channels, length) =>
  Array.from({ length: channels }, () => new Float32Array(length));

/** The encoders segments go to: `size` of them at once (an encoder pool, or a stand-in in tests). */
export interface SegmentEncoders {
  readonly encode: EncodeSegment;
  readonly size: number;
  readonly allocatePlanes?: AllocatePlanes;
}

/** A segment being filled: its input frames [first, end) in `planes`, of which `filled` samples so far. */
interface OpenSegment {
  ownedFrom: number;
  first: number;
  end: number;
  planes: Float32Array[];
  filled: number;
}

/** `frames` split into `pieces` runs as even as can be, in order. */
function evenSplit(frames: number, pieces: number): number[] {
  return Array.from(
    { length: pieces },
    (_, index) => Math.floor((frames * (index + 1)) / pieces) - Math.floor((frames * index) / pieces),
  );
}

/**
 * One MP3 stream encoded as overlapping segments on several encoders at once, joined seamlessly in order.
 * The stream's frames come out through `onFrames` in order, a run at a time; `finish()` resolves after the last one.
 *
 * Segments start short and double up to the plan's longest, so every encoder has work soon after
 * decoding starts; and what is left when decoding ends is split across the encoders, so they finish
 * together instead of one encoding the last long segment alone.
 */
export class SegmentedMp3Encoding {
  private readonly joiner: SegmentJoiner;
  /** Samples per channel written so far. */
  private written = 0;
  /** Segments not yet sent, oldest first; the next one opens once the stream reaches its pre-roll. */
  private open: OpenSegment[] = [];
  /** Where the segment after the last opened one starts owning frames, and how many it will own. */
  private nextStart = 0;
  private nextLength: number;
  private readonly ownedFrom: number[] = [];
  private inFlight: Promise<unknown>[] = [];
  /** Segments are joined strictly in order, whatever order their encoders finish in. */
  private assembled: Promise<void> = Promise.resolve();

  constructor(
    private readonly format: Mp3Format,
    private readonly encoders: SegmentEncoders,
    /** Gets whole frames; the bytes are reused once it returns. */
    onFrames: (frames: Uint8Array) => void,
    private readonly plan: SegmentPlan = DEFAULT_SEGMENT_PLAN,
  ) {
    this.joiner = new SegmentJoiner(plan, onFrames, vbrQuality(format.bitrate) !== undefined);
    this.nextLength = Math.min(plan.firstSegmentFrames, plan.segmentFrames);
  }

  /** The frames where segments were joined (each segment's nominal start but the first's). */
  get boundaries(): number[] {
    return this.ownedFrom.slice(1);
  }

  /** Adds PCM: planes (one Float32Array per channel), or a chunk to copy them from. */
  async write(pcm: Float32Array[] | PcmChunk): Promise<void> {
    const chunk = Array.isArray(pcm) ? planesChunk(pcm) : pcm;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.open.length === 0) this.openNext();
      // Up to where the oldest open segment is full, so it goes to an encoder as soon as it can.
      const oldest = this.open[0]!;
      const count = Math.min(chunk.length - offset, oldest.end * SAMPLES_PER_FRAME - this.written);
      while (segmentInputFrames(this.plan, this.nextStart, 0).first * SAMPLES_PER_FRAME < this.written + count)
        this.openNext();
      for (const segment of this.open) this.fill(segment, chunk, offset, count);
      this.written += count;
      offset += count;
      if (this.written === oldest.end * SAMPLES_PER_FRAME) {
        this.open.shift();
        this.send(oldest);
        // One segment more than there are encoders, so the next is ready when one comes free.
        if (this.inFlight.length > this.encoders.size) await this.inFlight.shift();
      }
    }
  }

  async finish(): Promise<void> {
    const total = this.written;
    const oldest = this.open[0];
    this.open = [];
    if (oldest && total > oldest.ownedFrom * SAMPLES_PER_FRAME) {
      // What is left is in the oldest open segment's planes: split across the encoders.
      const left = Math.ceil(total / SAMPLES_PER_FRAME) - oldest.ownedFrom;
      const pieces = Math.max(1, Math.min(2 * this.encoders.size, Math.floor(left / this.plan.firstSegmentFrames)));
      let ownedFrom = oldest.ownedFrom;
      for (const length of evenSplit(left, pieces)) {
        const { first, end } = segmentInputFrames(this.plan, ownedFrom, length);
        const from = (first - oldest.first) * SAMPLES_PER_FRAME;
        const to = Math.min(end * SAMPLES_PER_FRAME, total) - oldest.first * SAMPLES_PER_FRAME;
        const planes = this.allocate(to - from);
        planes.forEach((plane, channel) => plane.set(oldest.planes[channel]!.subarray(from, to)));
        this.send({ ownedFrom, first, end, planes, filled: to - from });
        ownedFrom += length;
      }
    }
    await this.assembled;
    this.joiner.finish();
  }

  private openNext(): void {
    const { first, end } = segmentInputFrames(this.plan, this.nextStart, this.nextLength);
    this.open.push({
      ownedFrom: this.nextStart,
      first,
      end,
      planes: this.allocate((end - first) * SAMPLES_PER_FRAME),
      filled: 0,
    });
    this.nextStart += this.nextLength;
    this.nextLength = Math.min(this.nextLength * 2, this.plan.segmentFrames);
  }

  /** Copies the chunk's samples [offset, offset + count) into the part of them `segment` takes. */
  private fill(segment: OpenSegment, chunk: PcmChunk, offset: number, count: number): void {
    const skip = Math.max(0, segment.first * SAMPLES_PER_FRAME - this.written);
    if (skip >= count) return;
    for (let channel = 0; channel < this.format.channels; channel++) {
      chunk.copyTo(
        channel,
        segment.planes[channel]!.subarray(segment.filled, segment.filled + count - skip),
        offset + skip,
      );
    }
    segment.filled += count - skip;
  }

  private allocate(length: number): Float32Array[] {
    return (this.encoders.allocatePlanes ?? freshPlanes)(this.format.channels, length);
  }

  /** Sends a full segment (or the stream's last pieces) to an encoder and queues it for joining. */
  private send(segment: OpenSegment): void {
    const input = segment.planes.map((plane) => plane.subarray(0, segment.filled));
    this.ownedFrom.push(segment.ownedFrom);
    const encoded = this.encoders.encode(input, this.format);
    this.assembled = this.assembled.then(async () =>
      this.joiner.add({
        firstFrame: segment.first,
        ownedFrom: segment.ownedFrom,
        stream: new ParsedStream(await encoded),
      }),
    );
    this.inFlight.push(this.assembled);
  }
}
