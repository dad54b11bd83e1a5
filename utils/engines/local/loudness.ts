/**
 * Integrated loudness as EBU R128 / ITU-R BS.1770-4 define it: K-weighted mean square over 400 ms blocks
 * (75 % overlap), gated at −70 LUFS and then 10 LU below the gated mean. Channels are left and right (or
 * mono), each weighted 1: the MP3's own channels, after any mixdown.
 */

export const TARGET_LUFS = -14;
const BLOCK_SECONDS = 0.4;
const STEP_SECONDS = 0.1;
const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;

interface Biquad {
  b: [number, number, number];
  a: [number, number];
}

/** The two K-weighting stages for any sample rate (the standard gives them at 48 kHz; these are libebur128's). */
function kWeighting(sampleRate: number): Biquad[] {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b: [(vh + (vb * k) / q + k * k) / a0, (2 * (k * k - vh)) / a0, (vh - (vb * k) / q + k * k) / a0],
    a: [(2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0],
  };
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = { b: [1, -2, 1], a: [(2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0] };
  return [shelf, highPass];
}

const toLufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/** Fed planar samples in order, it measures the integrated loudness and the sample peak. */
export class LoudnessMeter {
  private readonly filters: Biquad[];
  /** Per channel, per filter stage: the last two inputs and outputs. */
  private readonly state: Float64Array[][];
  private readonly stepLength: number;
  private stepFilled = 0;
  private stepEnergy = 0;
  /** K-weighted energy (summed over channels) of each 100 ms step. */
  private readonly steps: number[] = [];
  private peak = 0;

  constructor(
    sampleRate: number,
    private readonly channels: number,
  ) {
    this.filters = kWeighting(sampleRate);
    this.state = Array.from({ length: channels }, () => this.filters.map(() => new Float64Array(4)));
    this.stepLength = Math.round(sampleRate * STEP_SECONDS);
  }

  add(planes: Float32Array[]): void {
    const length = planes[0]?.length ?? 0;
    const squares = new Float64Array(length);
    const [shelf, highPass] = this.filters as [Biquad, Biquad];
    for (let channel = 0; channel < this.channels; channel++) {
      const plane = planes[channel]!;
      const [first, second] = this.state[channel] as [Float64Array, Float64Array];
      let [x1, x2, y1, y2] = first as unknown as [number, number, number, number];
      let [u1, u2, v1, v2] = second as unknown as [number, number, number, number];
      let peak = this.peak;
      for (let i = 0; i < length; i++) {
        const x = plane[i]!;
        if (x > peak) peak = x;
        else if (-x > peak) peak = -x;
        const y = shelf.b[0] * x + shelf.b[1] * x1 + shelf.b[2] * x2 - shelf.a[0] * y1 - shelf.a[1] * y2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        const v = highPass.b[0] * y + highPass.b[1] * u1 + highPass.b[2] * u2 - highPass.a[0] * v1 - highPass.a[1] * v2;
        u2 = u1;
        u1 = y;
        v2 = v1;
        v1 = v;
        squares[i] = squares[i]! + v * v;
      }
      this.peak = peak;
      first.set([x1, x2, y1, y2]);
      second.set([u1, u2, v1, v2]);
    }
    for (let i = 0; i < length; i++) {
      this.stepEnergy += squares[i]!;
      if (++this.stepFilled === this.stepLength) {
        this.steps.push(this.stepEnergy);
        this.stepEnergy = 0;
        this.stepFilled = 0;
      }
    }
  }

  /** Integrated loudness in LUFS; −Infinity for silence or audio shorter than one block. */
  integratedLufs(): number {
    const perBlock = Math.round(BLOCK_SECONDS / STEP_SECONDS);
    const blocks: number[] = [];
    for (let end = perBlock; end <= this.steps.length; end++) {
      let energy = 0;
      for (let step = end - perBlock; step < end; step++) energy += this.steps[step]!;
      blocks.push(energy / (perBlock * this.stepLength));
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const audible = blocks.filter((block) => toLufs(block) > ABSOLUTE_GATE_LUFS);
    if (audible.length === 0) return Number.NEGATIVE_INFINITY;
    const relativeGate = toLufs(mean(audible)) + RELATIVE_GATE_LU;
    const gated = audible.filter((block) => toLufs(block) > relativeGate);
    return toLufs(mean(gated));
  }

  get samplePeak(): number {
    return this.peak;
  }
}

/**
 * The linear gain that brings the sound to −14 LUFS, lowered if needed so that no sample clips:
 * a quiet video with loud peaks ends up a little below the target rather than distorted.
 */
export function normalizingGain(meter: LoudnessMeter): number {
  const loudness = meter.integratedLufs();
  if (!Number.isFinite(loudness)) return 1;
  const gain = 10 ** ((TARGET_LUFS - loudness) / 20);
  const peak = meter.samplePeak;
  return peak > 0 ? Math.min(gain, 1 / peak) : gain;
}
