#!/usr/bin/env node
// Generates small, deterministic media fixtures with the system ffmpeg.
// Usage: node scripts/make-fixtures.mjs <dir>
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * @typedef {{ ok: true, sampleRate: number, channels: number, sourceAudioSeconds: number, onsetSeconds: number, endOfSoundSeconds: number }} GoodExpectation
 * @typedef {{ ok: false }} BadExpectation
 * @typedef {{ name: string, path: string, expect: GoodExpectation | BadExpectation }} Fixture
 * @typedef {{ name: string, sampleRate: number, layout: 'mono' | 'stereo' | '5.1', video: string[], audio: string[], expectSampleRate?: number, seconds?: number }} ClipSpec
 * @typedef {{ name: string, write: (path: string) => Promise<void> }} BadSpec
 */

export const CLIP_SECONDS = 3;
export const ONSET_SECONDS = 0.25;
export const ONSET_THRESHOLD = 0.1;
const MAX_BUFFER = 64 * 1024 * 1024;

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
const VP8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '100k'];
const MPEG4 = ['-c:v', 'mpeg4', '-q:v', '10'];

/** @type {ClipSpec[]} */
export const CLIP_SPECS = [
  { name: 'clip.mp4', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '128k'] },
  { name: 'aac-mono-44k.mov', sampleRate: 44100, layout: 'mono', video: H264, audio: ['-c:a', 'aac', '-b:a', '96k'] },
  { name: 'aac-32k.m4v', sampleRate: 32000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '96k'] },
  { name: 'opus-48k.webm', sampleRate: 48000, layout: 'stereo', video: VP8, audio: ['-c:a', 'libopus', '-b:a', '96k'] },
  { name: 'vorbis-44k.webm', sampleRate: 44100, layout: 'stereo', video: VP8, audio: ['-c:a', 'libvorbis', '-q:a', '4'] },
  { name: 'flac-48k.mkv', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'flac'] },
  { name: 'ac3-5.1-48k.mkv', sampleRate: 48000, layout: '5.1', video: H264, audio: ['-c:a', 'ac3', '-b:a', '384k'] },
  { name: 'mp3-44k.avi', sampleRate: 44100, layout: 'stereo', video: MPEG4, audio: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
  {
    name: 'tagged.mp4', sampleRate: 48000, layout: 'stereo', video: H264,
    audio: ['-c:a', 'aac', '-b:a', '128k', '-metadata', 'artist=The Testers', '-metadata', 'album=Fixtures, Vol. 1'],
  },
  { name: 'mp3-48k.mp4', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'libmp3lame', '-b:a', '160k'] },
  { name: 'mp3-mono-32k.mkv', sampleRate: 32000, layout: 'mono', video: H264, audio: ['-c:a', 'libmp3lame', '-b:a', '64k'] },
  { name: 'pcm-s16le-48k.mov', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'pcm_s16le'] },
  { name: 'aac-22k.mp4', sampleRate: 22050, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '64k'], expectSampleRate: 48000 },
  { name: 'aac-5.1-48k.mp4', sampleRate: 48000, layout: '5.1', video: H264, audio: ['-c:a', 'aac', '-b:a', '256k'] },
  { name: 'eac3-48k.mkv', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'eac3', '-b:a', '192k'] },
  { name: 'dts-48k.mkv', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'dca', '-strict', '-2', '-b:a', '768k'] },
  { name: 'aac-48k.ts', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '128k'] },
  // Long enough that a test can stop the service worker or close the popup while it converts.
  { name: 'long.mp4', sampleRate: 48000, layout: 'stereo', video: H264, audio: ['-c:a', 'aac', '-b:a', '128k'], seconds: 240 },
];

/** @type {BadSpec[]} */
export const BAD_SPECS = [
  { name: 'no-audio.mp4', write: (path) => encode(path, [...videoInput(), ...H264]) },
  { name: 'empty.mp4', write: (path) => writeFile(path, new Uint8Array(0)) },
  { name: 'garbage.mp4', write: (path) => writeFile(path, seededBytes(0x5eed, 64 * 1024)) },
  { name: 'notes.mp4', write: (path) => writeFile(path, 'Shopping list\n- milk\n- eggs\nThis is not a video.\n') },
  { name: 'truncated.mp4', write: writeTruncatedMp4 },
];

/** @param {string} file @param {string[]} args */
async function tool(file, args) {
  const { stdout } = await run(file, args, { maxBuffer: MAX_BUFFER, encoding: 'buffer' });
  return stdout;
}

function videoInput(seconds = CLIP_SECONDS) {
  return ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`];
}

/** Silence until ONSET_SECONDS, then 1 kHz bursts (0.4 s on, 0.1 s off) so every burst has a sharp onset. @param {ClipSpec} spec */
function audioInput(spec) {
  const expr = `0.5*sin(2*PI*1000*t)*gte(t\\,${ONSET_SECONDS})*lt(mod(t-${ONSET_SECONDS}\\,0.5)\\,0.4)`;
  return ['-f', 'lavfi', '-i', `aevalsrc=exprs=${expr}:s=${spec.sampleRate}:c=${spec.layout}:d=${spec.seconds ?? CLIP_SECONDS}`];
}

/** Writes to a temp name first so an interrupted run never leaves a half-written fixture that later runs would skip. @param {string} path @param {string[]} args */
async function encode(path, args) {
  const tmp = tempSibling(path);
  try {
    await tool('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args, '-shortest', tmp]);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Keeps the extension so ffmpeg picks the right muxer. @param {string} path */
function tempSibling(path) {
  const dot = path.lastIndexOf('.');
  return `${path.slice(0, dot)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}${path.slice(dot)}`;
}

/** @param {string} path @param {ClipSpec} spec */
function writeClip(path, spec) {
  return encode(path, [...videoInput(spec.seconds), ...audioInput(spec), '-map', '0:v', '-map', '1:a', ...spec.video, ...spec.audio]);
}

/** mp4 without +faststart puts moov at the end, so the first 60% holds only ftyp + mdat. @param {string} path */
async function writeTruncatedMp4(path) {
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

/** mulberry32, so garbage.mp4 is identical on every machine. @param {number} seed @param {number} length */
export function seededBytes(seed, length) {
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

/** @param {string} path */
async function exists(path) {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Duration of the first audio stream as ffprobe reports it. Matroska/WebM carry it only as a
 * per-stream DURATION tag, so fall back to that and then to the container duration.
 * @param {string} path
 * @returns {Promise<number>}
 */
export async function probeAudioSeconds(path) {
  const out = await tool('ffprobe', [
    '-v', 'error', '-select_streams', 'a:0', '-of', 'json',
    '-show_entries', 'stream=duration:stream_tags=DURATION:format=duration', path,
  ]);
  /** @type {{ streams?: { duration?: string, tags?: Record<string, string> }[], format?: { duration?: string } }} */
  const info = JSON.parse(out.toString('utf8'));
  const stream = info.streams?.[0];
  if (!stream) throw new Error(`${path}: no audio stream`);
  const seconds = parseSeconds(stream.duration) ?? parseSeconds(stream.tags?.DURATION) ?? parseSeconds(info.format?.duration);
  if (seconds === undefined) throw new Error(`${path}: ffprobe reported no duration`);
  return seconds;
}

/** Accepts "3.000000" and "00:00:03.000000000". @param {string | undefined} value */
function parseSeconds(value) {
  if (value === undefined || value === 'N/A') return undefined;
  const seconds = value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * Decodes the first audio stream to mono float PCM at its native rate.
 * @param {string} path
 * @returns {Promise<{ samples: Float32Array, sampleRate: number }>}
 */
export async function decodeMono(path) {
  const sampleRate = await probeSampleRate(path);
  const raw = await tool('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-ac', '1', '-f', 'f32le', 'pipe:1']);
  const samples = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
  return { samples, sampleRate };
}

/** @param {string} path */
async function probeSampleRate(path) {
  const out = await tool('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate', '-of', 'csv=p=0', path]);
  // MPEG-TS lists the stream once more under its program: take the first value.
  const rate = Number(out.toString('utf8').trim().split(/\s+/)[0]);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`${path}: no audio sample rate`);
  return rate;
}

/** Time of the first sample whose magnitude exceeds the threshold, or NaN if none does. @param {Float32Array} samples @param {number} sampleRate */
export function findOnsetSeconds(samples, sampleRate, threshold = ONSET_THRESHOLD) {
  const index = samples.findIndex((s) => Math.abs(s) > threshold);
  return index < 0 ? Number.NaN : index / sampleRate;
}

/**
 * Where the sound stops: just after the last sample with |value| > threshold, NaN if there is none.
 * @param {Float32Array} samples @param {number} sampleRate
 */
export function findEndOfSoundSeconds(samples, sampleRate, threshold = ONSET_THRESHOLD) {
  const index = samples.findLastIndex((s) => Math.abs(s) > threshold);
  return index < 0 ? Number.NaN : (index + 1) / sampleRate;
}

/**
 * Expected MP3 output: MPEG-1 rates are kept, anything else becomes 48 kHz; more than two channels
 * downmix to stereo. The onset is measured on the source as ffmpeg decodes it, because some
 * containers bake the encoder delay into the stream (AC-3 in MKV: +256 samples, MP3 in AVI: +1105).
 * @param {ClipSpec} spec @param {string} path @returns {Promise<GoodExpectation>}
 */
async function expectationFor(spec, path) {
  const { sourceAudioSeconds, onsetSeconds, endOfSoundSeconds } = await measureSourceAudio(path, spec.seconds ?? CLIP_SECONDS);
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
 * @param {string} path @param {number} seconds
 */
async function measureSourceAudio(path, seconds) {
  const { samples, sampleRate } = await decodeMono(path);
  const onsetSeconds = findOnsetSeconds(samples, sampleRate);
  if (!(Math.abs(onsetSeconds - ONSET_SECONDS) < 0.05)) throw new Error(`${path}: decoded onset ${onsetSeconds} s, expected about ${ONSET_SECONDS} s`);
  const endOfSoundSeconds = Math.min(findEndOfSoundSeconds(samples, sampleRate), onsetSeconds - ONSET_SECONDS + seconds);
  return { sourceAudioSeconds: samples.length / sampleRate, onsetSeconds, endOfSoundSeconds };
}

/**
 * @template T, R
 * @param {readonly T[]} items @param {number} limit @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function mapLimit(items, limit, fn) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(/** @type {T} */ (items[i]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** @param {string} dir @param {ClipSpec} spec @returns {Promise<Fixture>} */
async function makeClip(dir, spec) {
  const path = join(dir, spec.name);
  if (!(await exists(path))) await writeClip(path, spec);
  return { name: spec.name, path, expect: await expectationFor(spec, path) };
}

/** @param {string} dir @param {BadSpec} spec @returns {Promise<Fixture>} */
async function makeBad(dir, spec) {
  const path = join(dir, spec.name);
  if (!(await exists(path))) await spec.write(path);
  return { name: spec.name, path, expect: { ok: false } };
}

/**
 * Creates every fixture in `dir` (existing files are kept) and returns them with their expectations.
 * @param {string} dir
 * @returns {Promise<Fixture[]>}
 */
export async function makeFixtures(dir) {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const limit = Math.max(1, Math.min(availableParallelism(), 8));
  /** @type {((() => Promise<Fixture>))[]} */
  const jobs = [...CLIP_SPECS.map((s) => () => makeClip(root, s)), ...BAD_SPECS.map((s) => () => makeBad(root, s))];
  return mapLimit(jobs, limit, (job) => job());
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/make-fixtures.mjs <dir>');
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
