import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createShippedMp3Encoder } from './shipped-lame';
import { ParsedStream, ReservoirPacker, SAMPLES_PER_FRAME } from '../../utils/engines/local/mp3/frames';
import {
  SegmentedMp3Encoding,
  type EncodeSegment,
  type Mp3Format,
} from '../../utils/engines/local/mp3/segmented-encoding';
import { lameFrameCount, LAME_ENCODER_DELAY, MP3_DECODER_DELAY } from '../../utils/engines/local/mp3/gapless';
import { DEFAULT_SEGMENT_PLAN, type SegmentPlan } from '../../utils/engines/local/mp3/segment-joiner';
import { encodeWithLame } from '../../utils/engines/local/mp3/lame';

const workDir = mkdtempSync(join(tmpdir(), 'mp3-segments-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The same LAME build the extension runs in its workers, here in-process. */
const encodeWhole: EncodeSegment = async (planes, format) =>
  encodeWithLame(await createShippedMp3Encoder(), planes, format);

/** Tones, noise and sharp clicks every 0.37 s, so window switching happens near some cuts. */
function testSignal(sampleRate: number, channels: number, length: number): Float32Array[] {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  const planes = Array.from({ length: channels }, () => new Float32Array(length));
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const click = t % 0.37 < 0.002 ? 0.6 * Math.sign(Math.sin(2 * Math.PI * 2000 * t)) : 0;
    const tone = 0.25 * Math.sin(2 * Math.PI * 440 * t) + 0.15 * Math.sin(2 * Math.PI * 2637 * t);
    for (let c = 0; c < channels; c++) planes[c]![i] = tone * (c === 0 ? 1 : 0.7) + 0.03 * noise() + click;
  }
  return planes;
}

function decode(mp3: Uint8Array, channels: number): Float32Array[] {
  const path = join(workDir, `${Math.random().toString(36).slice(2)}.mp3`);
  writeFileSync(path, mp3);
  const result = spawnSync('ffmpeg', ['-v', 'error', '-xerror', '-i', path, '-f', 'f32le', '-'], {
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`ffmpeg could not decode the MP3: ${result.stderr.toString()}`);
  const interleaved = new Float32Array(result.stdout.buffer, result.stdout.byteOffset, result.stdout.length / 4);
  return Array.from({ length: channels }, (_, c) => interleaved.filter((_, i) => i % channels === c));
}

async function encodeSegmented(
  planes: Float32Array[],
  format: Mp3Format,
  plan: SegmentPlan,
  encode: EncodeSegment = encodeWhole,
): Promise<{ mp3: Uint8Array; boundaries: number[] }> {
  const frames: Uint8Array[] = [];
  // The encoding reuses its buffer once the callback returns.
  const encoding = new SegmentedMp3Encoding(format, { encode, size: 2 }, (run) => frames.push(run.slice()), plan);
  for (let start = 0; start < planes[0]!.length; start += 4_410)
    await encoding.write(planes.map((plane) => plane.slice(start, start + 4_410)));
  await encoding.finish();
  return { mp3: new Uint8Array(Buffer.concat(frames)), boundaries: encoding.boundaries };
}

/** Frames in a raw stream (parsing moves its payloads, so a copy is parsed). */
const frameCount = (mp3: Uint8Array) => new ParsedStream(mp3.slice()).frameCount;

/** Signal-to-noise ratio in dB of `decoded` (raw LAME stream, both delays in it) against `source`, over frames [from, to). */
function snr(source: Float32Array, decoded: Float32Array, from: number, to: number): number {
  const delay = LAME_ENCODER_DELAY + MP3_DECODER_DELAY;
  let signal = 0;
  let error = 0;
  for (let i = from * SAMPLES_PER_FRAME; i < Math.min(to * SAMPLES_PER_FRAME, source.length); i++) {
    signal += source[i]! ** 2;
    error += (source[i]! - (decoded[i + delay] ?? 0)) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(error, 1e-12));
}

describe('MP3 frames and the bit reservoir', () => {
  it('splits a LAME stream into the frames LAME says it wrote, each main data within reach', async () => {
    const planes = testSignal(44_100, 2, 44_100 * 2);
    const stream = new ParsedStream(await encodeWhole(planes, { sampleRate: 44_100, channels: 2, bitrate: 128 }));
    expect(stream.frameCount).toBe(lameFrameCount(planes[0]!.length));
    expect(stream.headSize).toBe(36);
    expect(stream.mainDataBegins.some((begin) => begin > 0)).toBe(true);
    for (let index = 0; index < stream.frameCount; index++) {
      expect(stream.mainDataSizes[index]).toBeLessThanOrEqual(
        stream.payloadSize(index) + stream.mainDataBegins[index]!,
      );
    }
  });

  it('repacks a stream into one that decodes to exactly the same samples', async () => {
    const planes = testSignal(48_000, 2, 48_000 * 2);
    const original = await encodeWhole(planes, { sampleRate: 48_000, channels: 2, bitrate: 192 });
    const stream = new ParsedStream(original.slice());
    const repacked: Uint8Array[] = [];
    const packer = new ReservoirPacker((run) => repacked.push(run.slice()));
    for (let index = 0; index < stream.frameCount; index++) packer.push(stream, index);
    packer.finish();
    // Tens of kilobytes at a time, not a frame at a time.
    expect(repacked.length).toBeLessThan(stream.frameCount / 10);
    const bytes = new Uint8Array(Buffer.concat(repacked));
    expect(bytes.length).toBe(original.length);
    expect(decode(bytes, 2)).toEqual(decode(original, 2));
  });
});

describe('encoding segments in parallel and joining them', () => {
  // The extension's overlap and cut shift, with segments short enough for a test.
  const plan: SegmentPlan = { ...DEFAULT_SEGMENT_PLAN, segmentFrames: 40, firstSegmentFrames: 10 };

  it.each([
    { sampleRate: 48_000, channels: 2, bitrate: 192 },
    { sampleRate: 44_100, channels: 2, bitrate: 128 },
    { sampleRate: 44_100, channels: 1, bitrate: 320 },
    { sampleRate: 32_000, channels: 2, bitrate: 256 },
    // Variable bitrate: every frame's size is its own encoder's choice, and the cuts still fit.
    { sampleRate: 48_000, channels: 2, bitrate: 'v0' },
    { sampleRate: 44_100, channels: 2, bitrate: 'v2' },
    { sampleRate: 44_100, channels: 1, bitrate: 'v0' },
    { sampleRate: 32_000, channels: 2, bitrate: 'v2' },
  ] satisfies Mp3Format[])(
    '$sampleRate Hz, $channels ch, $bitrate: same length, same timing, no seam at any cut',
    async (format) => {
      const length = format.sampleRate * 6 + 321;
      const planes = testSignal(format.sampleRate, format.channels, length);
      const whole = await encodeWhole(planes, format);
      const { mp3: joined, boundaries } = await encodeSegmented(planes, format, plan);

      const joinedFrames = frameCount(joined);
      expect(joinedFrames).toBe(lameFrameCount(length));
      const [wholeLeft] = decode(whole, format.channels);
      const [joinedLeft] = decode(joined, format.channels);
      expect(joinedLeft!.length).toBe(wholeLeft!.length);

      const overall = snr(planes[0]!, wholeLeft!, 2, joinedFrames - 2);
      expect(overall).toBeGreaterThan(15);
      // Around every cut the joined stream is as close to the source as the one-piece encoding there.
      expect(boundaries.length).toBeGreaterThanOrEqual(5);
      for (const cut of boundaries.filter((boundary) => boundary >= 3 && boundary < joinedFrames - 2)) {
        const around = [cut - 3, cut + 3] as const;
        expect(snr(planes[0]!, joinedLeft!, ...around), `at frame ${cut}`).toBeGreaterThan(
          snr(planes[0]!, wholeLeft!, ...around) - 1.5,
        );
      }
    },
  );

  it.each([
    1,
    10 * SAMPLES_PER_FRAME,
    26 * SAMPLES_PER_FRAME + 1,
    40 * SAMPLES_PER_FRAME,
    40 * SAMPLES_PER_FRAME + 1,
    56 * SAMPLES_PER_FRAME,
    97_000,
  ])('a stream of %i samples comes out with LAME’s frame count for it', async (length) => {
    const format: Mp3Format = { sampleRate: 48_000, channels: 2, bitrate: 192 };
    const { mp3: joined } = await encodeSegmented(testSignal(48_000, 2, length), format, plan);
    expect(frameCount(joined)).toBe(lameFrameCount(length));
    expect(decode(joined, 2)[0]!.length).toBeGreaterThan(0);
  });
});

describe('how the stream is cut into segments', () => {
  // The extension's overlap and cut shift, with segments short enough for a test.
  const plan: SegmentPlan = { ...DEFAULT_SEGMENT_PLAN, segmentFrames: 40, firstSegmentFrames: 10 };
  const format: Mp3Format = { sampleRate: 48_000, channels: 1, bitrate: 192 };

  /** The frames each segment owns, in order, for a stream of `frames` frames (encoding stubbed out). */
  async function ownedRuns(frames: number): Promise<number[]> {
    const stub: EncodeSegment = async (planes) => encodeWhole([new Float32Array(planes[0]!.length)], format);
    const { boundaries } = await encodeSegmented([new Float32Array(frames * SAMPLES_PER_FRAME)], format, plan, stub);
    const starts = [0, ...boundaries, frames];
    return starts.slice(1).map((end, index) => end - starts[index]!);
  }

  it.each([
    { frames: 1, runs: [1] },
    // Too short for a first segment and its post-roll while the stream goes on: one piece at the end.
    { frames: 17, runs: [17] },
    { frames: 25, runs: [10, 15] },
    // Doubling from 10 up to 40; the 23 frames left at the end go to two pieces, one per encoder.
    { frames: 173, runs: [10, 20, 40, 40, 40, 11, 12] },
    { frames: 300, runs: [10, 20, 40, 40, 40, 40, 40, 40, 10, 10, 10] },
    // At most two pieces per encoder.
    { frames: 357, runs: [10, 20, 40, 40, 40, 40, 40, 40, 40, 11, 12, 12, 12] },
  ])('$frames frames are owned as $runs', async ({ frames, runs }) => {
    expect(await ownedRuns(frames)).toEqual(runs);
  });
});
