/**
 * A waveform's peaks: the lowest and highest sample (over all channels) of each run of
 * `samplesPerPeak` samples, interleaved as min, max.
 */

/** At most this many peaks for a whole video (8 MB of them): still 140 a second for a two-hour one. */
const MAX_PEAKS = 1 << 20;
/** A millisecond each: finer than anyone cuts. */
const MAX_PEAKS_PER_SECOND = 1000;

/** How many samples each peak covers, for a sound `durationSeconds` long. */
export function samplesPerPeak(durationSeconds: number, sampleRate: number): number {
  const perSecond = Math.min(MAX_PEAKS_PER_SECOND, MAX_PEAKS / Math.max(1, durationSeconds));
  return Math.max(1, Math.ceil(sampleRate / perSecond));
}

/** Fed planar samples in order, it makes peaks; `take()` hands over those finished since the last call. */
export class PeakBuilder {
  private finished = new Float32Array(2048);
  private count = 0;
  private min = Infinity;
  private max = -Infinity;
  private filled = 0;

  constructor(private readonly samplesPerPeak: number) {}

  /** The first `length` samples of each plane. */
  add(planes: readonly Float32Array[], length: number): void {
    let { min, max, filled } = this;
    for (let i = 0; i < length; i++) {
      for (const plane of planes) {
        const value = plane[i]!;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      if (++filled === this.samplesPerPeak) {
        this.push(min, max);
        min = Infinity;
        max = -Infinity;
        filled = 0;
      }
    }
    this.min = min;
    this.max = max;
    this.filled = filled;
  }

  /** The peaks finished since the last `take()`, as min, max pairs. */
  take(): Float32Array {
    const taken = this.finished.slice(0, this.count * 2);
    this.count = 0;
    return taken;
  }

  /** The remaining peaks, the last one covering what is left of the sound. */
  finish(): Float32Array {
    if (this.filled > 0) this.push(this.min, this.max);
    this.filled = 0;
    this.min = Infinity;
    this.max = -Infinity;
    return this.take();
  }

  private push(min: number, max: number): void {
    if (this.count * 2 === this.finished.length) {
      const grown = new Float32Array(this.finished.length * 2);
      grown.set(this.finished);
      this.finished = grown;
    }
    this.finished[this.count * 2] = min;
    this.finished[this.count * 2 + 1] = max;
    this.count++;
  }
}

/** What a waveform of `width` columns shows: each column's lowest and highest sample, NaN where none is known yet. */
export interface Columns {
  min: Float32Array;
  max: Float32Array;
}

/** The peaks read so far, growing as more arrive; it answers what each screen column shows. */
export class PeakTable {
  private values = new Float32Array(4096);
  private count = 0;

  constructor(readonly peaksPerSecond: number) {}

  append(pairs: Float32Array): void {
    const needed = this.count * 2 + pairs.length;
    if (needed > this.values.length) {
      const grown = new Float32Array(Math.max(needed, this.values.length * 2));
      grown.set(this.values.subarray(0, this.count * 2));
      this.values = grown;
    }
    this.values.set(pairs, this.count * 2);
    this.count += pairs.length / 2;
  }

  /** How far into the sound the peaks reach. */
  get knownSeconds(): number {
    return this.count / this.peaksPerSecond;
  }

  /** The columns of a view of [fromSeconds, toSeconds) `width` columns wide. */
  columns(fromSeconds: number, toSeconds: number, width: number): Columns {
    const min = new Float32Array(width).fill(Number.NaN);
    const max = new Float32Array(width).fill(Number.NaN);
    const perColumn = ((toSeconds - fromSeconds) / width) * this.peaksPerSecond;
    const firstPeak = fromSeconds * this.peaksPerSecond;
    for (let column = 0; column < width; column++) {
      const from = Math.max(0, Math.floor(firstPeak + column * perColumn));
      const to = Math.min(this.count, Math.max(from + 1, Math.floor(firstPeak + (column + 1) * perColumn)));
      let low = Infinity;
      let high = -Infinity;
      for (let peak = from; peak < to; peak++) {
        low = Math.min(low, this.values[peak * 2]!);
        high = Math.max(high, this.values[peak * 2 + 1]!);
      }
      if (to > from) {
        min[column] = low;
        max[column] = high;
      }
    }
    return { min, max };
  }
}
