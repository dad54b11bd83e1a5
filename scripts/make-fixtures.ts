#!/usr/bin/env -S npx tsx
// Generates small, deterministic media fixtures with the system ffmpeg.
// Usage: npm run fixtures, or npx tsx scripts/make-fixtures.ts <dir>
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GoodExpectation {
  ok: true;
  sampleRate: number;
  channels: number;
  sourceAudioSeconds: number;
  onsetSeconds: number;
  /** Just after the last sample above the onset threshold: where the last tone burst stops. */
  endOfSoundSeconds: number;
}

export interface BadExpectation {
  ok: false;
}

export interface Fixture {
  name: string;
  path: string;
  expect: GoodExpectation | BadExpectation;
}

export interface ClipSpec {
  name: string;
  sampleRate: number;
  layout: 'mono' | 'stereo' | '5.1';
  video: string[];
  audio: string[];
  expectSampleRate?: number;
  /** Length in seconds; CLIP_SECONDS when absent. */
  seconds?: number;
}

export interface BadSpec {
  name: string;
  write: (path: string) => Promise<void>;
}

export const CLIP_SECONDS = 3;
export const ONSET_SECONDS = 0.25;
export const ONSET_THRESHOLD = 0.1;
const MAX_BUFFER = 64 * 1024 * 1024;

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
const VP8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '100k'];
const MPEG4 = ['-c:v', 'mpeg4', '-q:v', '10'];

export const CLIP_SPECS: ClipSpec[] = [
  { name: 'clip.mp4', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '128k'] },
  { name: 'aac-mono-44k.mov', sampleRate: 44100, layout: 'mono', video: H264, audio: ['-c:a', 'aac', '-b:a', '96k'] },
  { name: 'aac-32k.m4v', sampleRate: 32000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '96k'] },
  { name: 'opus-48k.webm', sampleRate: 48000, layout: 'stereo', video: VP8, audio: ['-c:a', 'libopus', '-b:a', '96k'] },
  {
    name: 'vorbis-44k.webm',
    sampleRate: 44100,
    layout: 'stereo',
    video: VP8,
    audio: ['-c:a', 'libvorbis', '-q:a', '4'],
  },
  { name: 'flac-48k.mkv', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'flac'] },
  { name: 'ac3-5.1-48k.mkv', sampleRate: 48000, layout: '5.1', video: H264, audio: ['-c:a', 'ac3', '-b:a', '384k'] },
  {
    name: 'mp3-44k.avi',
    sampleRate: 44100,
    layout: 'stereo',
    video: MPEG4,
    audio: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  },
  {
    name: 'tagged.mp4',
    sampleRate: 48000,
    layout: 'stereo',
    video: H264,
    audio: ['-c:a', 'aac', '-b:a', '128k', '-metadata', 'artist=The Testers', '-metadata', 'album=Fixtures, Vol. 1'],
  },
  {
    name: 'mp3-48k.mp4',
    sampleRate: 48000,
    layout: 'stereo',
    video: H264,
    audio: ['-c:a', 'libmp3lame', '-b:a', '160k'],
  },
  {
    name: 'mp3-mono-32k.mkv',
    sampleRate: 32000,
    layout: 'mono',
    video: H264,
    audio: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  },
  { name: 'pcm-s16le-48k.mov', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'pcm_s16le'] },
  {
    name: 'aac-22k.mp4',
    sampleRate: 22050,
    layout: 'stereo',
    video: H264,
    audio: ['-c:a', 'aac', '-b:a', '64k'],
    expectSampleRate: 48000,
  },
  { name: 'aac-5.1-48k.mp4', sampleRate: 48000, layout: '5.1', video: H264, audio: ['-c:a', 'aac', '-b:a', '256k'] },
  { name: 'eac3-48k.mkv', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'eac3', '-b:a', '192k'] },
  {
    name: 'dts-48k.mkv',
    sampleRate: 48000,
    layout: 'stereo',
    video: H264,
    audio: ['-c:a', 'dca', '-strict', '-2', '-b:a', '768k'],
  },
  { name: 'aac-48k.ts', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '128k'] },
  // Long enough that a test can stop the service worker or close the popup while it converts.
  {
    name: 'long.mp4',
    sampleRate: 48000,
    layout: 'stereo',
    video: H264,
    audio: ['-c:a', 'aac', '-b:a', '128k'],
    seconds: 240,
  },
];

export const BAD_SPECS: BadSpec[] = [
  { name: 'no-audio.mp4', write: (path) => encode(path, [...videoInput(), ...H264]) },
  { name: 'empty.mp4', write: (path) => writeFile(path, new Uint8Array(0)) },
  { name: 'garbage.mp4', write: (path) => writeFile(path, seededBytes(0x5eed, 64 * 1024)) },
  { name: 'notes.mp4', write: (path) => writeFile(path, 'Shopping list\n- milk\n- eggs\nThis is not a video.\n') },
  { name: 'truncated.mp4', write: writeTruncatedMp4 },
];

async function tool(file: string, args: string[]) {
  const { stdout } = await run(file, args, { maxBuffer: MAX_BUFFER, encoding: 'buffer' });
  return stdout;
}

function videoInput(seconds = CLIP_SECONDS) {
  return ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`];
}

/** Silence until ONSET_SECONDS, then 1 kHz bursts (0.4 s on, 0.1 s off) so every burst has a sharp onset. */
function audioInput(spec: ClipSpec) {
  const expr = `0.5*sin(2*PI*1000*t)*gte(t\\,${ONSET_SECONDS})*lt(mod(t-${ONSET_SECONDS}\\,0.5)\\,0.4)`;
  return [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=exprs=${expr}:s=${spec.sampleRate}:c=${spec.layout}:d=${spec.seconds ?? CLIP_SECONDS}`,
  ];
}

/** Writes to a temp name first so an interrupted run never leaves a half-written fixture that later runs would skip. */
async function encode(path: string, args: string[]) {
  const tmp = tempSibling(path);
  try {
    await tool('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args, '-shortest', tmp]);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Keeps the extension so ffmpeg picks the right muxer. */
function tempSibling(path: string) {
  const dot = path.lastIndexOf('.');
  return `${path.slice(0, dot)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}${path.slice(dot)}`;
}

function writeClip(path: string, spec: ClipSpec) {
  return encode(path, [
    ...videoInput(spec.seconds),
    ...audioInput(spec),
    '-map',
    '0:v',
    '-map',
    '1:a',
    ...spec.video,
    ...spec.audio,
  ]);
}

/** mp4 without +faststart puts moov at the end, so the first 60% holds only ftyp + mdat. */
async function writeTruncatedMp4(path: string) {
  const full = tempSibling(path);
  const spec = CLIP_SPECS[0];
  if (!spec) throw new Error('no clip spec');
  try {
    await writeClip(full, spec);
    const bytes = await readFile(full);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  } finally {
    await rm(full, { force: true });
  }
}

/** mulberry32, so garbage.mp4 is identical on every machine. */
export function seededBytes(seed: number, length: number) {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

async function exists(path: string) {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Duration of the first audio stream as ffprobe reports it. Matroska/WebM carry it only as a
 * per-stream DURATION tag, so fall back to that and then to the container duration.
 */
export async function probeAudioSeconds(path: string): Promise<number> {
  const out = await tool('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-of',
    'json',
    '-show_entries',
    'stream=duration:stream_tags=DURATION:format=duration',
    path,
  ]);
  const info = JSON.parse(out.toString('utf8')) as {
    streams?: { duration?: string; tags?: Record<string, string> }[];
    format?: { duration?: string };
  };
  const stream = info.streams?.[0];
  if (!stream) throw new Error(`${path}: no audio stream`);
  const seconds =
    parseSeconds(stream.duration) ?? parseSeconds(stream.tags?.DURATION) ?? parseSeconds(info.format?.duration);
  if (seconds === undefined) throw new Error(`${path}: ffprobe reported no duration`);
  return seconds;
}

/** Accepts "3.000000" and "00:00:03.000000000". */
function parseSeconds(value: string | undefined) {
  if (value === undefined || value === 'N/A') return undefined;
  const seconds = value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** Decodes the first audio stream to mono float PCM at its native rate. */
export async function decodeMono(path: string): Promise<{ samples: Float32Array; sampleRate: number }> {
  const sampleRate = await probeSampleRate(path);
  const raw = await tool('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-i',
    path,
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-f',
    'f32le',
    'pipe:1',
  ]);
  const samples = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
  return { samples, sampleRate };
}

async function probeSampleRate(path: string) {
  const out = await tool('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=sample_rate',
    '-of',
    'csv=p=0',
    path,
  ]);
  // MPEG-TS lists the stream once more under its program: take the first value.
  const rate = Number(out.toString('utf8').trim().split(/\s+/)[0]);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`${path}: no audio sample rate`);
  return rate;
}

/** Time of the first sample whose magnitude exceeds the threshold, or NaN if none does. */
export function findOnsetSeconds(samples: Float32Array, sampleRate: number, threshold = ONSET_THRESHOLD) {
  const index = samples.findIndex((s) => Math.abs(s) > threshold);
  return index < 0 ? Number.NaN : index / sampleRate;
}

/** Where the sound stops: just after the last sample with |value| > threshold, NaN if there is none. */
export function findEndOfSoundSeconds(samples: Float32Array, sampleRate: number, threshold = ONSET_THRESHOLD) {
  const index = samples.findLastIndex((s) => Math.abs(s) > threshold);
  return index < 0 ? Number.NaN : (index + 1) / sampleRate;
}

/**
 * Expected MP3 output: MPEG-1 rates are kept, anything else becomes 48 kHz; more than two channels
 * downmix to stereo. The onset is measured on the source as ffmpeg decodes it, because some
 * containers bake the encoder delay into the stream (AC-3 in MKV: +256 samples, MP3 in AVI: +1105).
 */
async function expectationFor(spec: ClipSpec, path: string): Promise<GoodExpectation> {
  const { sourceAudioSeconds, onsetSeconds, endOfSoundSeconds } = await measureSourceAudio(
    path,
    spec.seconds ?? CLIP_SECONDS,
  );
  return {
    ok: true,
    sampleRate: spec.expectSampleRate ?? spec.sampleRate,
    channels: spec.layout === 'mono' ? 1 : 2,
    sourceAudioSeconds,
    onsetSeconds,
    endOfSoundSeconds,
  };
}

/**
 * The source's audio as ffmpeg decodes it: its length (container durations are estimates in
 * MPEG-TS, for one), where the first burst starts, and where the sound stops: the clip cuts its last
 * burst at `seconds` (shifted like the onset), and a lossy codec's ringing after that cut isn't sound.
 */
async function measureSourceAudio(path: string, seconds: number) {
  const { samples, sampleRate } = await decodeMono(path);
  const onsetSeconds = findOnsetSeconds(samples, sampleRate);
  if (!(Math.abs(onsetSeconds - ONSET_SECONDS) < 0.05))
    throw new Error(`${path}: decoded onset ${onsetSeconds} s, expected about ${ONSET_SECONDS} s`);
  const endOfSoundSeconds = Math.min(
    findEndOfSoundSeconds(samples, sampleRate),
    onsetSeconds - ONSET_SECONDS + seconds,
  );
  return { sourceAudioSeconds: samples.length / sampleRate, onsetSeconds, endOfSoundSeconds };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function makeClip(dir: string, spec: ClipSpec): Promise<Fixture> {
  const path = join(dir, spec.name);
  if (!(await exists(path))) await writeClip(path, spec);
  return { name: spec.name, path, expect: await expectationFor(spec, path) };
}

async function makeBad(dir: string, spec: BadSpec): Promise<Fixture> {
  const path = join(dir, spec.name);
  if (!(await exists(path))) await spec.write(path);
  return { name: spec.name, path, expect: { ok: false } };
}

/** Creates every fixture in `dir` (existing files are kept) and returns them with their expectations. */
export async function makeFixtures(dir: string): Promise<Fixture[]> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const limit = Math.max(1, Math.min(availableParallelism(), 8));
  const jobs = [...CLIP_SPECS.map((s) => () => makeClip(root, s)), ...BAD_SPECS.map((s) => () => makeBad(root, s))];
  return mapLimit(jobs, limit, (job) => job());
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: tsx scripts/make-fixtures.ts <dir>');
    process.exit(2);
  }
  const started = performance.now();
  const fixtures = await makeFixtures(dir);
  for (const f of fixtures) console.log(`${f.name.padEnd(20)} ${JSON.stringify(f.expect)}`);
  console.log(`${fixtures.length} fixtures in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
