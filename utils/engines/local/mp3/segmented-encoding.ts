import { parseStream, SAMPLES_PER_FRAME } from './frames';
import { DEFAULT_SEGMENT_PLAN, SegmentJoiner, segmentInputFrames, type SegmentPlan } from './segment-joiner';

export interface Mp3Format {
  sampleRate: number;
  channels: number;
  bitrateKbps: number;
}

/** Encodes one segment of planar PCM into a raw LAME stream (no Xing frame, flushed at the end). */
export type EncodeSegment = (planes: Float32Array[], format: Mp3Format) => Promise<Uint8Array>;

/**
 * Planes for a segment's PCM. An encoder pool hands back planes its workers have finished with, so
 * a long conversion reuses a few buffers instead of leaving one behind, for the GC, per segment.
 */
export type AllocatePlanes = (channels: number, length: number) => Float32Array[];

const freshPlanes: AllocatePlanes = (channels, length) => Array.from({ length: channels }, () => new Float32Array(length));

/** The encoders segments go to: `size` of them at once (an encoder pool, or a stand-in in tests). */
export interface SegmentEncoders {
  readonly encode: EncodeSegment;
  readonly size: number;
  readonly allocatePlanes?: AllocatePlanes;
}

/** Planar PCM kept from `start` on (samples per channel counted from the start of the stream). */
class PcmWindow {
  private chunks: { start: number; planes: Float32Array[] }[] = [];
  private end = 0;

  get sampleCount(): number {
    return this.end;
  }

  append(planes: Float32Array[]): void {
    const length = planes[0]?.length ?? 0;
    if (length === 0) return;
    this.chunks.push({ start: this.end, planes });
    this.end += length;
  }

  copy(start: number, end: number, channels: number, allocate: AllocatePlanes): Float32Array[] {
    const planes = allocate(channels, end - start);
    for (const chunk of this.chunks) {
      const chunkEnd = chunk.start + (chunk.planes[0]?.length ?? 0);
      const from = Math.max(start, chunk.start);
      const to = Math.min(end, chunkEnd);
      if (from >= to) continue;
      for (let channel = 0; channel < channels; channel++) {
        planes[channel]!.set(chunk.planes[channel]!.subarray(from - chunk.start, to - chunk.start), from - start);
      }
    }
    return planes;
  }

  discardBefore(sample: number): void {
    this.chunks = this.chunks.filter((chunk) => chunk.start + (chunk.planes[0]?.length ?? 0) > sample);
  }
}

/**
 * One MP3 stream encoded as overlapping segments on several encoders at once, joined seamlessly in order.
 * The stream's frames come out through `onFrame` in order; `finish()` resolves after the last one.
 */
export class SegmentedMp3Encoding {
  private readonly pcm = new PcmWindow();
  private readonly joiner: SegmentJoiner;
  private nextSegment = 0;
  private inFlight: Promise<unknown>[] = [];
  /** Segments are joined strictly in order, whatever order their encoders finish in. */
  private assembled: Promise<void> = Promise.resolve();

  constructor(
    private readonly format: Mp3Format,
    private readonly encoders: SegmentEncoders,
    onFrame: (frame: Uint8Array) => void,
    private readonly plan: SegmentPlan = DEFAULT_SEGMENT_PLAN,
  ) {
    this.joiner = new SegmentJoiner(plan, onFrame);
  }

  /** Adds PCM (one Float32Array per channel, owned by this encoding from now on). */
  async write(planes: Float32Array[]): Promise<void> {
    this.pcm.append(planes);
    while (this.pcm.sampleCount >= segmentInputFrames(this.plan, this.nextSegment).end * SAMPLES_PER_FRAME) {
      this.dispatch(this.pcm.sampleCount);
      // One segment more than there are encoders, so the next is ready when one comes free.
      if (this.inFlight.length > this.encoders.size) await this.inFlight.shift();
    }
  }

  async finish(): Promise<void> {
    const total = this.pcm.sampleCount;
    if (total > 0) {
      const lastSegment = Math.ceil(total / (this.plan.segmentFrames * SAMPLES_PER_FRAME)) - 1;
      while (this.nextSegment <= lastSegment) this.dispatch(total);
    }
    await this.assembled;
    this.joiner.finish();
  }

  private dispatch(available: number): void {
    const index = this.nextSegment++;
    const { first, end } = segmentInputFrames(this.plan, index);
    const planes = this.pcm.copy(first * SAMPLES_PER_FRAME, Math.min(end * SAMPLES_PER_FRAME, available), this.format.channels, this.encoders.allocatePlanes ?? freshPlanes);
    this.pcm.discardBefore(segmentInputFrames(this.plan, index + 1).first * SAMPLES_PER_FRAME);
    const encoded = this.encoders.encode(planes, this.format);
    this.assembled = this.assembled.then(async () => this.joiner.add({ firstFrame: first, stream: parseStream(await encoded) }));
    this.inFlight.push(this.assembled);
  }
}
