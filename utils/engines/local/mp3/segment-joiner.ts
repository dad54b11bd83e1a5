import { largestPayload, MAX_MAIN_DATA_BEGIN, Mp3FrameError, ReservoirPacker, type ParsedStream } from './frames';

/**
 * How the audio is cut for encoding in parallel. A segment owns a run of frames of the whole stream,
 * and its encoder also sees `preRollFrames` before and `postRollFrames` after, so its psychoacoustic
 * state, window switching and filterbank match the neighbours' at the cut.
 */
export interface SegmentPlan {
  /** The longest a segment gets. */
  segmentFrames: number;
  /**
   * The first segment's length; each next one is twice as long, up to `segmentFrames`, so the encoders
   * start soon after decoding does. Also the shortest piece the end of the stream is split into.
   */
  firstSegmentFrames: number;
  preRollFrames: number;
  postRollFrames: number;
  /** How far from the nominal boundary the cut may move to find one where the bit reservoir fits. */
  maxCutShift: number;
}

export const DEFAULT_SEGMENT_PLAN: SegmentPlan = {
  segmentFrames: 256,
  firstSegmentFrames: 128,
  preRollFrames: 8,
  postRollFrames: 8,
  maxCutShift: 8,
};

export interface EncodedSegment {
  /** Index in the whole stream of the segment's first input frame (1152 samples each). */
  firstFrame: number;
  /** Index in the whole stream of the first frame the segment owns: the nominal boundary with the one before. */
  ownedFrom: number;
  stream: ParsedStream;
}

/** Input frames [first, end) a segment owning `length` frames from `start` is encoded from. */
export function segmentInputFrames(plan: SegmentPlan, start: number, length: number): { first: number; end: number } {
  return { first: Math.max(0, start - plan.preRollFrames), end: start + length + plan.postRollFrames };
}

/** Cut positions to try, nearest to the nominal boundary first: b, b+1, b−1, b+2, … */
function cutCandidates(boundary: number, maxShift: number): number[] {
  const candidates = [boundary];
  for (let shift = 1; shift <= maxShift; shift++) candidates.push(boundary + shift, boundary - shift);
  return candidates;
}

/**
 * Joins independently encoded, overlapping segments (in order) into one stream: at each boundary it keeps
 * the earlier segment's frames up to a cut and the later one's from there, and repacks the bit reservoir so
 * that no frame points at main data of a frame that was dropped.
 */
export class SegmentJoiner {
  private readonly packer: ReservoirPacker;
  private carried: EncodedSegment | undefined;
  /** Index in the whole stream of the next frame to keep. */
  private nextFrame = 0;

  constructor(
    private readonly plan: SegmentPlan,
    /** Gets the joined stream's frames, whole, in order; the bytes are reused once it returns. */
    emit: (frames: Uint8Array) => void,
    /**
     * A variable bitrate stream: each cut is at its nominal boundary, where both encoders had their pre-
     * and post-roll, and the earlier segment's last frames get higher bitrates where it takes that to leave
     * the later one's first frame the reservoir its encoder gave it. VBR frames leave the reservoir so
     * little slack that a cut moved far enough to fit would land where one encoder's input starts or ends.
     */
    private readonly variableBitrate = false,
  ) {
    this.packer = new ReservoirPacker(emit);
  }

  add(segment: EncodedSegment): void {
    const earlier = this.carried;
    this.carried = segment;
    if (!earlier) return;
    const cut = this.chooseCut(earlier, segment);
    this.keep(earlier, cut, this.variableBitrate ? segment.stream.mainDataBegins[cut - segment.firstFrame] : 0);
  }

  /** Writes the rest of the last segment. */
  finish(): void {
    if (this.carried) this.keep(this.carried, this.carried.firstFrame + this.carried.stream.frameCount);
    this.carried = undefined;
    this.packer.finish();
  }

  /** Lays out the segment's frames up to `endFrame`, leaving at least `reservoirAtEnd` bytes of reservoir (VBR). */
  private keep(segment: EncodedSegment, endFrame: number, reservoirAtEnd = 0): void {
    const { stream, firstFrame } = segment;
    const from = this.nextFrame - firstFrame;
    const end = endFrame - firstFrame;
    // What each frame must leave for the ones after it, from the last back: a frame at 320 kbps can add
    // its largest payload less its main data; what that can't cover, the frame before it must leave.
    const reservoirAfter = new Map<number, number>();
    for (let index = end - 1, needed = reservoirAtEnd; index >= from && needed > 0; index--) {
      reservoirAfter.set(index, Math.min(needed, MAX_MAIN_DATA_BEGIN));
      needed = Math.max(
        0,
        needed - largestPayload(stream.rateByte(index), stream.headSize) + stream.mainDataSizes[index]!,
      );
    }
    for (let index = from; index < end; index++)
      this.packer.push(
        stream,
        index,
        this.variableBitrate ? { reservoirAfter: reservoirAfter.get(index) ?? 0 } : undefined,
      );
    this.nextFrame = endFrame;
  }

  private chooseCut(earlier: EncodedSegment, later: EncodedSegment): number {
    const boundary = later.ownedFrom;
    for (const cut of cutCandidates(boundary, this.plan.maxCutShift)) {
      const earlierEnd = cut - earlier.firstFrame;
      const laterStart = cut - later.firstFrame;
      if (cut < this.nextFrame || laterStart < 0 || earlierEnd > earlier.stream.frameCount) continue;
      if (laterStart >= later.stream.frameCount) continue;
      if (this.variableBitrate) return cut;
      if (this.fitsAt(earlier.stream, this.nextFrame - earlier.firstFrame, earlierEnd, later.stream, laterStart))
        return cut;
    }
    throw new Mp3FrameError(`no cut near frame ${boundary} fits the bit reservoir`);
  }

  /**
   * Whether the earlier segment's frames [keptFrom, keptEnd), then the later one's from `laterStart`, fit the reservoir.
   * Once a later frame has as much reservoir as its own encoder gave it, the rest fits as encoded.
   */
  private fitsAt(
    earlier: ParsedStream,
    keptFrom: number,
    keptEnd: number,
    later: ParsedStream,
    laterStart: number,
  ): boolean {
    let free = this.packer.availableReservoir;
    const step = (stream: ParsedStream, index: number): boolean => {
      free = Math.min(free, MAX_MAIN_DATA_BEGIN) + stream.payloadSize(index) - stream.mainDataSizes[index]!;
      return free >= 0;
    };
    for (let index = keptFrom; index < keptEnd; index++) if (!step(earlier, index)) return false;
    for (let index = laterStart; index < later.frameCount; index++) {
      if (Math.min(free, MAX_MAIN_DATA_BEGIN) >= later.mainDataBegins[index]!) return true;
      if (!step(later, index)) return false;
    }
    return true;
  }
}
