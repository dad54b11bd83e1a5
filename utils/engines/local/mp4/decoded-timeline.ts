/** What the timeline reads of a decoder's output. */
type DecodedOutput = Pick<AudioData, 'timestamp' | 'numberOfFrames'>;

/**
 * Times decoded audio as mediabunny does: from the first packet's timestamp (Chromium ignores negative
 * ones), then by the frames decoded, re-syncing only if the decoder's own timestamps jump.
 *
 * A chunk holds several packets. Chromium stamps each of their outputs with its own time; Firefox
 * stamps every one with the chunk's timestamp. A timestamp that repeats the previous output's is
 * therefore no jump back: counting frames goes on (else Firefox's outputs of a chunk would all land on
 * its first packet's place, and the first chunk's, before 0 with the encoder's priming, be cut off).
 */
export class DecodedTimeline {
  private next: number | null = null;
  private offsetSeconds = 0;
  private previousTimestamp: number | null = null;

  constructor(
    private readonly sampleRate: number,
    private readonly firstPacketSeconds: number,
  ) {}

  /** Where the output starts, in seconds on the track's timeline. */
  place(data: DecodedOutput): number {
    if (this.next === null) this.offsetSeconds = this.firstPacketSeconds - data.timestamp / 1e6;
    const reported = Math.round((data.timestamp / 1e6 + this.offsetSeconds) * this.sampleRate);
    const repeated = data.timestamp === this.previousTimestamp;
    this.previousTimestamp = data.timestamp;
    if (this.next === null || (!repeated && Math.abs(reported - this.next) >= data.numberOfFrames))
      this.next = reported;
    const frame = this.next;
    this.next += data.numberOfFrames;
    return frame / this.sampleRate;
  }
}
