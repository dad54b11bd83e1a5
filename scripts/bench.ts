#!/usr/bin/env -S npx tsx
// `npm run bench`: converts the same generated video with native ffmpeg, ffmpeg.wasm (the core the
// extension ships) and the extension itself (headless Chromium, then headless Firefox ESR: popup →
// downloads folder), one after another, and prints wall time, memory and how exactly the MP3 keeps
// the audio's start/end.
// Not a test: nothing here asserts on timing.
//
// Usage: npm run bench -- [--no-build] [--big] [--runs N] [--only native,wasm,extension,firefox] [--pss]
import { chromiumArgs } from '../tests/e2e/helpers/browser.ts';
import { benchFirefox } from './bench/firefox-row.ts';
import { execFile, spawn, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BrowserContext, BrowserType, Page } from 'playwright-core';

const run = promisify(execFile);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MEDIA_DIR = join(ROOT, 'bench', '.media');
const OUT_DIR = join(MEDIA_DIR, 'out');
const RESULTS_FILE = join(ROOT, 'bench', 'results.md');
const EXTENSION_DIR = join(ROOT, '.output', 'chrome-mv3');
const FFMPEG_CORE_JS = join(ROOT, 'node_modules', '@ffmpeg', 'core', 'dist', 'esm', 'ffmpeg-core.js');
const WASM_CHILD = join(ROOT, 'scripts', 'bench-wasm-child.mjs');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const GNU_TIME = '/usr/bin/time';

// The clip's audio: silence, a signal from exactly ONSET to exactly END, silence again.
const CLIP_SECONDS = 240;
const ONSET_SECONDS = 1;
const END_SECONDS = 239;
const SAMPLE_RATE = 48_000;
const THRESHOLD = 0.1;
// Bump when the generator changes, so a cached clip from an older recipe is not reused.
const CLIP_NAME = 'bench-4min-v1.mp4';
const BIG_NAME = 'bench-2gb-v1.mp4';
const MP3_CLIP_NAME = 'bench-4min-mp3-v1.mp4';
const BIG_TARGET_BYTES = 2e9;
const MP3_ARGS = ['-vn', '-c:a', 'libmp3lame', '-b:a', '192k'];

type RowKey = 'native' | 'wasm' | 'extension' | 'firefox';

interface Options {
  build: boolean;
  big: boolean;
  pss: boolean;
  runs: number;
  only: Set<string>;
}

/** Where the signal starts and ends, in seconds. */
interface SignalTimes {
  start: number;
  end: number;
}

interface BenchInput {
  name: string;
  path: string;
  bytes: number;
  /** How many 4-minute clips the input holds. */
  copies: number;
  big: boolean;
  /** Converted with "Keep MP3 sound as it is" (the MP3 stream copied). */
  keepMp3?: boolean;
  /** For the table, set once the input's length is known. */
  label?: string;
  /** What the MP3s' start and end are measured against, set once the source is measured. */
  reference?: SignalTimes;
}

interface AudioInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  duration: number;
}

interface Exactness extends AudioInfo, SignalTimes {
  decodedSeconds: number;
  startErrorMs: number;
  endErrorMs: number;
}

interface ProcessGrowth {
  process: string;
  bytes: number;
  started: boolean;
}

interface MemoryReport {
  baselineBytes: number;
  peakExtraBytes: number;
  samples: number;
  meanSampleMs: number;
  kind: 'PSS' | 'RSS';
  processes: number;
  growth: ProcessGrowth[];
}

/** One measured run; the engines add what only they know. */
interface RunResult {
  wallMs: number;
  firstProgressMs: number;
  peakBytes: number;
  /** The MP3 it made. */
  out: string;
  /** ffmpeg.wasm: of the wall time, loading the core. */
  loadedMs?: number;
  /** Extension: when the popup showed the job and when it said "Converting…". */
  shownMs?: number;
  convertingMs?: number;
  memory?: MemoryReport;
}

/** A row of runs: the median wall time's run, with the medians and every run's wall time. */
type Measured = RunResult & { runs: number[] };

interface RowIdentity {
  key: RowKey;
  engine: string;
  input: BenchInput;
}

type MeasuredRow = RowIdentity & Measured & { skipped?: undefined; exact?: Exactness };
/** Why a row has no numbers: the table says so in its place. */
type SkipReason = 'n/a (whole file in wasm memory)' | 'n/a (not measured for copying)';
type SkippedRow = RowIdentity & { skipped: SkipReason };
type Row = MeasuredRow | SkippedRow;

interface BrowserSession {
  context: BrowserContext;
  popup: Page;
  downloadsDir: string;
  browserPid: number;
  close: () => Promise<void>;
}

/** What the popup records about the job it watches (times from performance.timeOrigin). */
interface PopupMarks {
  shownAt: number | null;
  convertingAt: number | null;
  progressAt: number | null;
  error: string | null;
}

/** The popup's window, with what watchJobInPopup leaves on it. */
type BenchWindow = Window & { __benchMarks?: PopupMarks; __benchObserver?: MutationObserver };

// ---------------------------------------------------------------------------------------------
// Command line

function usage() {
  return `usage: npm run bench -- [--no-build] [--big] [--runs N] [--only native,wasm,extension,firefox] [--pss]

  --no-build   use the existing build in .output/chrome-mv3 instead of running \`wxt build\`
  --big        also bench a ~2 GB MP4 (the 4-minute clip concatenated; made once, ~2 GB of disk)
  --runs N     measured runs per row (default 1); each row reports the median. The extension
               always does one extra first run in a fresh browser, reported on its own row
  --only LIST  comma-separated subset of rows: native, wasm, extension, firefox
  --pss        extension memory as PSS instead of RSS (fairer to shared pages, but each 50 ms
               sample then costs ~20 ms of CPU, which slows the conversion it measures)`;
}

function parseArgs(argv: string[]): Options {
  const opts = {
    build: true,
    big: false,
    pss: false,
    runs: 1,
    only: new Set(['native', 'wasm', 'extension', 'firefox']),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) fail(`${arg} needs a value\n\n${usage()}`);
      return v;
    };
    if (arg === '--no-build') opts.build = false;
    else if (arg === '--big') opts.big = true;
    else if (arg === '--pss') opts.pss = true;
    else if (arg === '--runs' || arg.startsWith('--runs=')) {
      opts.runs = Number(value());
      if (!Number.isInteger(opts.runs) || opts.runs < 1) fail(`--runs takes a whole number ≥ 1\n\n${usage()}`);
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      opts.only = new Set(
        value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
      for (const row of opts.only)
        if (!['native', 'wasm', 'extension', 'firefox'].includes(row))
          fail(`--only: unknown row "${row}"\n\n${usage()}`);
    } else if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    } else fail(`unknown option ${arg}\n\n${usage()}`);
  }
  return opts;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const mb = (bytes: number) => bytes / 1e6;
const log = (message: string) => console.error(`· ${message}`);

function median(values: number[]) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] as number;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

async function exists(path: string) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function which(file: string) {
  if (file.includes('/')) return existsSync(file);
  return run('sh', ['-c', `command -v ${file}`]).then(
    () => true,
    () => false,
  );
}

/** Runs a command to completion, rejecting with its stderr tail when it fails. */
function spawnChecked(
  file: string,
  args: string[],
  { stdio = ['ignore', 'ignore', 'pipe'] }: { stdio?: StdioOptions } = {},
) {
  return new Promise<{ stderr: string }>((resolvePromise, reject) => {
    const child = spawn(file, args, { stdio });
    let stderr = '';
    const keep = (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (err) => reject(new Error(`${file}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise({ stderr });
      else reject(new Error(`${basename(file)} ${args.join(' ')}\nexited with ${signal ?? code}:\n${stderr.trim()}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Media

/** A mix of cosines at whole-number frequencies, so every one is at a crest at the whole-second onset and end. */
function signalExpression(noiseSeed: number) {
  const tones = [
    '0.22*cos(2*PI*220*t)',
    '0.16*cos(2*PI*277*t)',
    '0.12*cos(2*PI*330*t)*(0.7+0.3*cos(2*PI*2*t))',
    '0.07*cos(2*PI*880*t)',
    '0.04*cos(2*PI*3520*t)',
  ].join('+');
  const gate = `gte(t\\,${ONSET_SECONDS})*lt(t\\,${END_SECONDS})`;
  return `${gate}*(${tones}+0.03*(2*random(${noiseSeed})-1))`;
}

async function makeClip(path: string) {
  const tmp = `${path}.tmp-${process.pid}.mp4`;
  const audio = `aevalsrc=exprs=${signalExpression(0)}|${signalExpression(1)}:s=${SAMPLE_RATE}:c=stereo:d=${CLIP_SECONDS}`;
  log(`generating ${basename(path)} (4 min 1280x720 H.264 + AAC, takes a minute or two)…`);
  try {
    await spawnChecked('ffmpeg', [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=25:duration=${CLIP_SECONDS}`,
      '-f',
      'lavfi',
      '-i',
      audio,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-b:v',
      '3000k',
      '-maxrate',
      '3100k',
      '-bufsize',
      '6000k',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-movflags',
      '+faststart',
      tmp,
    ]);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The same clip with its sound as MP3 (video copied), for "Keep MP3 sound as it is". */
async function makeMp3Clip(path: string, clipPath: string) {
  const tmp = `${path}.tmp-${process.pid}.mp4`;
  log(`making ${basename(path)} (the clip with MP3 sound)…`);
  try {
    await spawnChecked('ffmpeg', [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      clipPath,
      '-c:v',
      'copy',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '192k',
      tmp,
    ]);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function makeBig(path: string, clipPath: string) {
  const copies = Math.max(2, Math.round(BIG_TARGET_BYTES / (await stat(clipPath)).size));
  const tmp = `${path}.tmp-${process.pid}.mp4`;
  const list = `${path}.list-${process.pid}.txt`;
  log(`concatenating ${copies} copies into ${basename(path)} (stream copy)…`);
  try {
    await writeFile(
      list,
      `${Array.from({ length: copies }, () => `file '${clipPath.replaceAll("'", "'\\''")}'`).join('\n')}\n`,
    );
    await spawnChecked('ffmpeg', [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-c',
      'copy',
      tmp,
    ]);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
    await rm(list, { force: true });
  }
}

/** The inputs to bench, made once and cached; `copies` is how many 4-minute clips an input holds. */
async function prepareInputs(big: boolean) {
  await mkdir(MEDIA_DIR, { recursive: true });
  const clip = join(MEDIA_DIR, CLIP_NAME);
  if (!(await exists(clip))) await makeClip(clip);
  const inputs: BenchInput[] = [{ name: CLIP_NAME, path: clip, bytes: (await stat(clip)).size, copies: 1, big: false }];
  const mp3Clip = join(MEDIA_DIR, MP3_CLIP_NAME);
  if (!(await exists(mp3Clip))) await makeMp3Clip(mp3Clip, clip);
  inputs.push({
    name: MP3_CLIP_NAME,
    path: mp3Clip,
    bytes: (await stat(mp3Clip)).size,
    copies: 1,
    big: false,
    keepMp3: true,
  });
  if (big) {
    const bigPath = join(MEDIA_DIR, BIG_NAME);
    if (!(await exists(bigPath))) await makeBig(bigPath, clip);
    const bytes = (await stat(bigPath)).size;
    const clipBytes = (inputs[0] as BenchInput).bytes;
    inputs.push({ name: BIG_NAME, path: bigPath, bytes, copies: Math.round(bytes / clipBytes), big: true });
  }
  for (const input of inputs) {
    const minutes = (await probe(input.path)).duration / 60;
    input.label = `${input.big ? `${Math.round(minutes)}-min (${input.copies}× the clip)` : '4-min'} 720p MP4${input.keepMp3 ? ' with MP3 sound, copied' : ''}, ${input.bytes >= 1e9 ? `${(input.bytes / 1e9).toFixed(2)} GB` : `${Math.round(mb(input.bytes))} MB`}`;
  }
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// Exactness

/** What the bench reads of `ffprobe -of json -show_streams -show_format`. */
interface ProbeReport {
  streams?: { codec_type: string; codec_name: string; sample_rate: string; channels: number; duration?: string }[];
  format?: { duration?: string };
}

async function probe(path: string): Promise<AudioInfo> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', path]);
  const info = JSON.parse(stdout) as ProbeReport;
  const audio = info.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new Error(`${path}: no audio stream`);
  return {
    codec: audio.codec_name,
    sampleRate: Number(audio.sample_rate),
    channels: audio.channels,
    duration: Number(audio.duration ?? info.format?.duration),
  };
}

/** Streams the first audio stream as mono f32 PCM and finds the first and last sample above THRESHOLD. */
function findSignal(path: string) {
  return new Promise<{ samples: number; first: number; last: number }>((resolvePromise, reject) => {
    const child = spawn(
      'ffmpeg',
      ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-ac', '1', '-f', 'f32le', 'pipe:1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let carry = Buffer.alloc(0);
    let index = 0;
    let first = -1;
    let last = -1;
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.stdout.on('data', (chunk: Buffer) => {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = buf.length - (buf.length % 4);
      for (let off = 0; off < whole; off += 4, index++) {
        if (Math.abs(buf.readFloatLE(off)) > THRESHOLD) {
          if (first < 0) first = index;
          last = index;
        }
      }
      carry = Buffer.from(buf.subarray(whole));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`decoding ${path} failed: ${stderr.trim()}`));
      else resolvePromise({ samples: index, first, last });
    });
  });
}

/** Where the generator put the signal; in the concatenated file it ends in the last copy. */
function nominalSignal(input: BenchInput): SignalTimes {
  return { start: ONSET_SECONDS, end: (input.copies - 1) * CLIP_SECONDS + END_SECONDS };
}

/** The signal's start/end in a file, and their errors against `reference` (seconds). */
async function measureExactness(path: string, reference: SignalTimes): Promise<Exactness> {
  const [info, signal] = await Promise.all([probe(path), findSignal(path)]);
  const rate = info.sampleRate;
  const start = signal.first < 0 ? Number.NaN : signal.first / rate;
  const end = signal.last < 0 ? Number.NaN : (signal.last + 1) / rate;
  return {
    ...info,
    decodedSeconds: signal.samples / rate,
    start,
    end,
    startErrorMs: (start - reference.start) * 1000,
    endErrorMs: (end - reference.end) * 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Native ffmpeg

function maxRssFromGnuTime(report: string) {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Peak RSS by polling VmHWM (the kernel's high-water mark) until the process exits. */
function pollHighWaterMark(pid: number, done: Promise<void>) {
  let peak = Number.NaN;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(Number.isNaN(peak) ? 0 : peak, Number(m[1]) * 1024);
    } catch {
      // Gone already.
    }
  }, 20);
  return done.finally(() => clearInterval(timer)).then(() => peak);
}

async function runNative(input: BenchInput, out: string, haveGnuTime: boolean) {
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    input.path,
    ...(input.keepMp3 ? ['-vn', '-c:a', 'copy'] : MP3_ARGS),
    out,
  ];
  const report = join(OUT_DIR, `time-${process.pid}.txt`);
  const started = now();
  if (haveGnuTime) {
    await spawnChecked(GNU_TIME, ['-v', '-o', report, 'ffmpeg', ...args]);
    const wallMs = now() - started;
    const peakBytes = maxRssFromGnuTime(await readFile(report, 'utf8'));
    await rm(report, { force: true });
    return { wallMs, peakBytes };
  }
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const done = new Promise<void>((res, rej) =>
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`ffmpeg exited with ${code}`)))),
  );
  const peakBytes = await pollHighWaterMark(child.pid as number, done);
  return { wallMs: now() - started, peakBytes };
}

// ---------------------------------------------------------------------------------------------
// ffmpeg.wasm (in a child Node process, so its peak RSS is its own: scripts/bench-wasm-child.mjs)

interface WasmResult {
  wallMs: number;
  loadedMs: number;
  peakBytes: number;
}

function runWasm(input: BenchInput, out: string) {
  return new Promise<WasmResult>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [WASM_CHILD, FFMPEG_CORE_JS, input.path, out, ...MP3_ARGS], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg.wasm child failed (${code}):\n${stderr.trim()}`));
      try {
        resolvePromise(JSON.parse(stdout.trim().split('\n').pop() as string) as WasmResult);
      } catch {
        reject(new Error(`ffmpeg.wasm child printed no result:\n${stdout}\n${stderr}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Extension in Chromium

/** ppid of every process, from one pass over /proc. */
function processParents() {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after the last ')' don't.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // Exited while we looked.
    }
  }
  return parents;
}

function descendantsOf(root: number) {
  const parents = processParents();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree].filter((pid) => parents.has(pid));
}

/** VmRSS, or with `pss` the PSS from smaps_rollup (shared pages split between their users, but ~20 ms per sweep of the tree). */
function processMemory(pid: number, pss: boolean) {
  try {
    const m = pss
      ? /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      : /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // Exited while we looked.
  }
}

/**
 * Samples the summed memory of the browser's process tree every `intervalMs`. The tree is
 * re-listed every few samples, since Chromium starts processes (the offscreen document) mid-job.
 */
function memorySampler(rootPid: number, pss: boolean, intervalMs = 50) {
  let pids = descendantsOf(rootPid);
  const measureEach = () => new Map(pids.map((pid) => [pid, processMemory(pid, pss)]));
  const total = (each: Map<number, number>) => [...each.values()].reduce((sum, bytes) => sum + bytes, 0);
  const baselineEach = measureEach();
  const baseline = total(baselineEach);
  let peak = baseline;
  let peakEach = baselineEach;
  let samples = 0;
  let sampleCostMs = 0;
  let timer: NodeJS.Timeout;
  const sample = () => {
    const each = measureEach();
    if (total(each) > peak) {
      peak = total(each);
      peakEach = each;
    }
  };
  const tick = () => {
    const t = performance.now();
    if (samples % 5 === 0) pids = descendantsOf(rootPid);
    sample();
    samples++;
    sampleCostMs += performance.now() - t;
    timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  let result: MemoryReport | undefined;
  return {
    stop(): MemoryReport {
      if (result) return result;
      clearTimeout(timer);
      sample();
      const growth = [...peakEach]
        .map(([pid, bytes]) => ({
          process: processKind(pid),
          bytes: bytes - (baselineEach.get(pid) ?? 0),
          started: !baselineEach.has(pid),
        }))
        .filter((entry) => Math.abs(entry.bytes) >= 1024 * 1024)
        .sort((a, b) => b.bytes - a.bytes);
      return (result = {
        baselineBytes: baseline,
        peakExtraBytes: peak - baseline,
        samples,
        meanSampleMs: samples ? sampleCostMs / samples : 0,
        kind: pss ? 'PSS' : 'RSS',
        processes: pids.length,
        growth,
      });
    },
  };
}

function growthByProcess(growth: ProcessGrowth[] = []) {
  return (
    growth
      .map(
        (entry) =>
          `${entry.process}${entry.started ? ' (started)' : ''} ${entry.bytes >= 0 ? '+' : ''}${fmt(mb(entry.bytes), 0)} MB`,
      )
      .join(', ') || 'none over 1 MB'
  );
}

/** "renderer", "utility (audio.mojom.AudioService)", … from a Chromium process's command line. */
function processKind(pid: number) {
  try {
    // Chromium rewrites its process title: the arguments may come back joined by spaces.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length) ?? 'browser';
    const subType = args.find((arg) => arg.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
    return subType ? `${type} (${subType})` : type;
  } catch {
    return 'exited';
  }
}

function directChildren(pid: number) {
  const children = new Set<number>();
  for (const [child, parent] of processParents()) if (parent === pid) children.add(child);
  return children;
}

async function launchBrowser(chromium: BrowserType): Promise<BrowserSession> {
  const tempRoot = await mkdtemp(join(tmpdir(), 'video-to-mp3-bench-'));
  tempDirs.add(tempRoot);
  const downloadsDir = join(tempRoot, 'downloads');
  const profile = join(tempRoot, 'profile');
  await mkdir(downloadsDir, { recursive: true });
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({
      download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true },
      savefile: { default_directory: downloadsDir },
    }),
  );
  const before = directChildren(process.pid);
  // Our own signal handlers close the browser and then delete its profile; Playwright's would exit first.
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: false,
      args: chromiumArgs(EXTENSION_DIR),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    })
    .catch(async (err: unknown) => {
      await rm(tempRoot, { recursive: true, force: true });
      throw new Error(`could not launch ${CHROMIUM} with the extension: ${String(err)}`);
    });
  const close = async () => {
    await context.close().catch(() => undefined);
    await rm(tempRoot, { recursive: true, force: true });
    tempDirs.delete(tempRoot);
  };
  cleanups.add(close);
  const browserPid = [...directChildren(process.pid)].find((pid) => !before.has(pid));
  if (!browserPid) throw new Error('could not find the Chromium process this launch started');

  const cdpPage = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(cdpPage);
  // Playwright saves downloads under GUID names in its own folder; "default" hands them back to the profile's downloads folder.
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const isOurs = (w: { url(): string }) => w.url().startsWith('chrome-extension://');
  const worker =
    context.serviceWorkers().find(isOurs) ??
    (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  // A person takes a second or more to pick a file after opening the popup; the extension warms up meanwhile.
  await sleep(1000);
  return { context, popup, downloadsDir, browserPid, close };
}

/**
 * Records, in the popup, when the job's row appears, when it says "Converting…" and when a bar for
 * the file first goes above 0: the copy's ("Adding …", for files over one stored part) or the job's.
 */
async function watchJobInPopup(popup: Page, fileName: string) {
  // tsx keeps function names by wrapping named functions in __name(), which the page doesn't have.
  await popup.evaluate('globalThis.__name ??= (fn) => fn');
  return popup.evaluate((name) => {
    const page = window as BenchWindow;
    const marks: PopupMarks = { shownAt: null, convertingAt: null, progressAt: null, error: null };
    page.__benchMarks = marks;
    const check = () => {
      const at = performance.timeOrigin + performance.now();
      const adding = document.querySelector(`[role="progressbar"][aria-label="Adding ${CSS.escape(name)}…"]`);
      if (Number(adding?.getAttribute('aria-valuenow')) > 0) marks.progressAt ??= at;
      const bar = document.querySelector(`[role="progressbar"][aria-label="Converting ${CSS.escape(name)}"]`);
      if (bar) {
        marks.shownAt ??= at;
        if ((bar.getAttribute('aria-valuetext') ?? '').startsWith('Converting')) marks.convertingAt ??= at;
        if (Number(bar.getAttribute('aria-valuenow')) > 0) marks.progressAt ??= at;
      }
      const alert = document.querySelector(`li[aria-label="${CSS.escape(name)}"] [role="alert"]`);
      if (alert && !marks.error) marks.error = alert.textContent;
    };
    page.__benchObserver?.disconnect();
    page.__benchObserver = new MutationObserver(check);
    const watched = { subtree: true, childList: true, attributes: true, characterData: true };
    page.__benchObserver.observe(document.body, watched);
    check();
  }, fileName);
}

async function waitForNewMp3(session: BrowserSession, known: Set<string>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastErrorCheck = 0;
  while (Date.now() < deadline) {
    const names = await readdir(session.downloadsDir);
    const partial = names.some((n) => n.endsWith('.crdownload'));
    const mp3 = names.find((n) => n.endsWith('.mp3') && !known.has(n));
    if (mp3 && !partial && (await stat(join(session.downloadsDir, mp3))).size > 0) return { name: mp3, at: now() };
    if (Date.now() - lastErrorCheck > 1000) {
      lastErrorCheck = Date.now();
      const error = await session.popup.evaluate(() => (window as BenchWindow).__benchMarks?.error ?? null);
      if (error) throw new Error(`the extension reported: ${error}`);
    }
    await sleep(20);
  }
  throw new Error(`no MP3 in the downloads folder after ${Math.round(timeoutMs / 1000)} s`);
}

/** Waits until the popup no longer lists the job, so the next run starts from an idle extension. */
async function waitForIdle(popup: Page, fileName: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const busy = await popup.evaluate(
      (name) => !!document.querySelector(`[role="progressbar"][aria-label="Converting ${CSS.escape(name)}"]`),
      fileName,
    );
    if (!busy) break;
    await sleep(100);
  }
  // Lets the extension finish its bookkeeping (history, IndexedDB) before the next run is timed.
  await sleep(1000);
}

/** Turns on "Keep MP3 sound as it is", as the options page would. */
async function keepMp3Sound(context: BrowserContext) {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('no extension service worker to change the settings with');
  await worker.evaluate(async () => {
    const { settings } = await chrome.storage.sync.get('settings');
    await chrome.storage.sync.set({ settings: { ...(settings as object | undefined), keepMp3Audio: true } });
  });
}

async function runExtensionOnce(session: BrowserSession, input: BenchInput, out: string, pss: boolean) {
  const fileInput = session.popup.getByLabel('Choose video');
  const known = new Set(await readdir(session.downloadsDir));
  await watchJobInPopup(session.popup, input.name);
  const sampler = memorySampler(session.browserPid, pss);
  const started = now();
  try {
    await fileInput.setInputFiles(input.path);
    const timeoutMs = 120_000 + (input.bytes / 1e6) * 500;
    const done = await waitForNewMp3(session, known, timeoutMs);
    const memory = sampler.stop();
    const marks = (await session.popup.evaluate(() => (window as BenchWindow).__benchMarks)) as PopupMarks;
    await copyFile(join(session.downloadsDir, done.name), out);
    // Frees the name, so the next run's MP3 isn't saved as "… (1).mp3".
    await rm(join(session.downloadsDir, done.name), { force: true });
    return {
      wallMs: done.at - started,
      shownMs: marks.shownAt ? marks.shownAt - started : Number.NaN,
      convertingMs: marks.convertingAt ? marks.convertingAt - started : Number.NaN,
      firstProgressMs: marks.progressAt ? marks.progressAt - started : Number.NaN,
      peakBytes: memory.peakExtraBytes,
      memory,
    };
  } finally {
    sampler.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration

/** Undo list for browsers and their temp profiles, run at the end and on Ctrl-C. */
const cleanups = new Set<() => Promise<void>>();
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
async function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    await fn().catch(() => undefined);
  }
}

async function machineInfo() {
  const chromiumVersion = await run(CHROMIUM, ['--version']).then(
    ({ stdout }) => stdout.trim(),
    () => 'unknown',
  );
  const ffmpegVersion = await run('ffmpeg', ['-version']).then(
    ({ stdout }) => (stdout.split('\n')[0] as string).replace(/ Copyright.*/, ''),
    () => 'unknown',
  );
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGb: (totalmem() / 2 ** 30).toFixed(1),
    chromium: chromiumVersion,
    ffmpeg: ffmpegVersion,
    node: process.version,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

function fmt(value: number | string | undefined, digits = 0) {
  if (typeof value === 'string') return value;
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

function signed(value: number | undefined, digits = 2) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

function renderTable(rows: Row[]) {
  const header =
    '| engine | input | wall time (s) | × native | time to first progress (ms) | peak extra memory (MB) | start error (ms) | end error (ms) |';
  const lines = [header, '|---|---|--:|--:|--:|--:|--:|--:|'];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.engine} | ${r.input.label} | ${r.skipped} | | | | | |`);
      continue;
    }
    const native = rows.find((n): n is MeasuredRow => n.key === 'native' && n.input === r.input && !n.skipped);
    const ratio = native && r.wallMs ? `${(r.wallMs / native.wallMs).toFixed(1)}×` : '–';
    lines.push(
      `| ${r.engine} | ${r.input.label} | ${fmt(r.wallMs / 1000, 2)} | ${ratio} | ${fmt(r.firstProgressMs)} | ${fmt(mb(r.peakBytes), 0)} | ${signed(r.exact?.startErrorMs)} | ${signed(r.exact?.endErrorMs)} |`,
    );
  }
  return lines.join('\n');
}

function renderDetails(
  rows: Row[],
  sources: { input: BenchInput; exact: Exactness }[],
  opts: Options,
  info: Awaited<ReturnType<typeof machineInfo>>,
) {
  const lines: string[] = [];
  lines.push('Notes:');
  lines.push(
    `- Each row: median of ${opts.runs} run(s), run one after another. Wall time for native ffmpeg is the whole process; for ffmpeg.wasm it is load + copy-in + exec + read-out inside Node (Node start-up excluded); for the extension it is from choosing the file in the popup to the finished MP3 in the downloads folder.`,
  );
  lines.push(
    '- "extension, first run" is the first conversion in a freshly launched browser (offscreen document and wasm start cold); "extension, warm" are the following ones in the same browser.',
  );
  lines.push(
    `- Peak memory: native ffmpeg and ffmpeg.wasm report the max RSS of their process (whole process, not extra); the extension reports the peak of the summed ${opts.pss ? 'PSS' : 'RSS'} of all Chromium processes of that launch minus the value just before the file was chosen, sampled every 50 ms${opts.pss ? '' : ' (RSS counts shared library pages once per process, so a process started mid-job, like the offscreen document on a first run, adds its share of those too; --pss splits them)'}.`,
  );
  lines.push(
    `- Exactness: each MP3 decoded by native ffmpeg to mono f32; start/end = first/last sample with |x| > ${THRESHOLD}, compared with ${ONSET_SECONDS.toFixed(3)} s / ${END_SECONDS.toFixed(3)} s for the 4-minute clip.${sources.some((s) => s.input.big) ? " The ~2 GB file is a stream-copy concatenation that keeps every copy's 1024 AAC priming samples, so its errors are against its own audio as ffmpeg decodes it (below), not the nominal times." : ''}`,
  );
  lines.push('');
  lines.push('Source audio as ffmpeg decodes it, against the nominal times:');
  for (const s of sources) {
    const nominal = nominalSignal(s.input);
    lines.push(
      `- ${s.input.label}: ${s.exact.codec} ${s.exact.sampleRate} Hz ${s.exact.channels} ch, ${s.exact.decodedSeconds.toFixed(3)} s decoded; start ${s.exact.start.toFixed(5)} s (${signed(s.exact.startErrorMs)} ms vs ${nominal.start.toFixed(3)}), end ${s.exact.end.toFixed(5)} s (${signed(s.exact.endErrorMs)} ms vs ${nominal.end.toFixed(3)})`,
    );
  }
  lines.push('');
  lines.push('Outputs (ffprobe):');
  for (const r of rows) {
    if (r.skipped || !r.exact) continue;
    const e = r.exact;
    let extra = '';
    if (r.key === 'extension' && r.memory) {
      extra = `; job shown ${fmt(r.shownMs)} ms, "Converting…" ${fmt(r.convertingMs)} ms; memory as ${r.memory.kind} over ${r.memory.processes} processes, baseline ${fmt(mb(r.memory.baselineBytes))} MB, ${r.memory.samples} samples of ${r.memory.meanSampleMs.toFixed(1)} ms; growth at the peak by process: ${growthByProcess(r.memory.growth)}`;
    }
    if (r.key === 'wasm') extra = `; of which loading the core ${fmt(r.loadedMs)} ms`;
    lines.push(
      `- ${r.engine}, ${r.input.label}: ${e.codec} ${e.sampleRate} Hz ${e.channels} ch, ffprobe duration ${fmt(e.duration, 3)} s, decoded ${e.decodedSeconds.toFixed(3)} s; runs ${r.runs.map((x) => fmt(x / 1000, 2)).join(', ')} s${extra}`,
    );
  }
  lines.push('');
  lines.push(
    `Machine: ${info.cores} cores, ${info.cpu}, ${info.memoryGb} GB RAM; ${info.chromium}; ${info.ffmpeg}; Node ${info.node}; load average at start ${info.load}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (anything else running skews the numbers).`,
  );
  return lines.join('\n');
}

/** Runs `once` `runs` times and keeps the median wall time's run for the other columns. */
async function measure(runs: number, once: (i: number) => Promise<RunResult>): Promise<Measured> {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await once(i));
  const mid = median(results.map((r) => r.wallMs));
  const chosen = results.reduce((best, r) => (Math.abs(r.wallMs - mid) < Math.abs(best.wallMs - mid) ? r : best));
  return {
    ...chosen,
    wallMs: mid,
    firstProgressMs: median(results.map((r) => r.firstProgressMs)),
    peakBytes: median(results.map((r) => r.peakBytes)),
    runs: results.map((r) => r.wallMs),
  };
}

async function preflight(opts: Options) {
  const missing: string[] = [];
  for (const tool of ['ffmpeg', 'ffprobe']) if (!(await which(tool))) missing.push(tool);
  if (opts.only.has('extension') && !existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (set CHROME_PATH)`);
  if (opts.only.has('wasm') && !existsSync(FFMPEG_CORE_JS)) missing.push('@ffmpeg/core (run npm install)');
  if (missing.length) fail(`missing: ${missing.join(', ')}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await preflight(opts);
  const haveGnuTime = existsSync(GNU_TIME);

  if (opts.only.has('extension')) {
    if (opts.build) {
      log('building the extension (wxt build)…');
      await spawnChecked('npx', ['wxt', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    }
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json')))
      fail('no build in .output/chrome-mv3; run without --no-build');
  }

  const inputs = await prepareInputs(opts.big);
  await mkdir(OUT_DIR, { recursive: true });
  const info = await machineInfo();

  const sources: { input: BenchInput; exact: Exactness }[] = [];
  for (const input of inputs) {
    log(`measuring the source audio of ${input.name}…`);
    const exact = await measureExactness(input.path, nominalSignal(input));
    sources.push({ input, exact });
    // Stream-copy concatenation keeps each copy's AAC priming samples (the edit lists that trim
    // them are lost), so the big file's signal drifts from its nominal place: measure against
    // the source as ffmpeg decodes it instead.
    input.reference = input.big || input.keepMp3 ? { start: exact.start, end: exact.end } : nominalSignal(input);
  }

  const rows: Row[] = [];
  const outPath = (key: string, input: BenchInput, i: number) =>
    join(OUT_DIR, `${key}-${input.name.replace(/\.mp4$/, '')}-${i}.mp3`);

  for (const input of inputs) {
    if (opts.only.has('native')) {
      log(`native ffmpeg, ${input.label}…`);
      const r = await measure(opts.runs, (i) =>
        runNative(input, outPath('native', input, i), haveGnuTime).then((x) => ({
          ...x,
          out: outPath('native', input, i),
          firstProgressMs: Number.NaN,
        })),
      );
      rows.push({ key: 'native', engine: 'native ffmpeg', input, ...r });
    }
    if (opts.only.has('wasm')) {
      if (input.big || input.keepMp3) {
        const reason = input.big ? 'n/a (whole file in wasm memory)' : 'n/a (not measured for copying)';
        rows.push({ key: 'wasm', engine: 'ffmpeg.wasm (single thread)', input, skipped: reason });
      } else {
        log(`ffmpeg.wasm, ${input.label}…`);
        const r = await measure(opts.runs, (i) =>
          runWasm(input, outPath('wasm', input, i)).then((x) => ({
            ...x,
            out: outPath('wasm', input, i),
            firstProgressMs: Number.NaN,
          })),
        );
        rows.push({ key: 'wasm', engine: 'ffmpeg.wasm (single thread)', input, ...r });
      }
    }
    if (opts.only.has('extension')) {
      const { chromium } = await import('playwright-core');
      log(`extension, ${input.label}: launching Chromium…`);
      const session = await launchBrowser(chromium);
      try {
        if (input.keepMp3) await keepMp3Sound(session.context);
        log('extension: first run in the fresh browser…');
        const first = await measure(1, () =>
          runExtensionOnce(session, input, outPath('extension-first', input, 0), opts.pss).then((x) => ({
            ...x,
            out: outPath('extension-first', input, 0),
          })),
        );
        rows.push({ key: 'extension', engine: 'extension, first run', input, ...first });
        await waitForIdle(session.popup, input.name);
        log(`extension: ${opts.runs} warm run(s)…`);
        const warm = await measure(opts.runs, async (i) => {
          const out = outPath('extension-warm', input, i);
          const x = await runExtensionOnce(session, input, out, opts.pss);
          await waitForIdle(session.popup, input.name);
          return { ...x, out };
        });
        rows.push({ key: 'extension', engine: 'extension, warm', input, ...warm });
      } finally {
        cleanups.delete(session.close);
        await session.close();
      }
    }
    if (opts.only.has('firefox')) {
      log(`Firefox, ${input.label}…`);
      const out = (kind: string, i: number) => outPath(`firefox-${kind}`, input, i);
      const firefoxRows = await benchFirefox(input, { ...opts, outPath: out, measure, memorySampler });
      rows.push(...firefoxRows.map((row) => ({ key: 'firefox' as const, input, ...row })));
    }
  }

  log('checking the MP3s…');
  for (const row of rows) {
    if (!row.skipped) row.exact = await measureExactness(row.out, row.input.reference as SignalTimes);
  }

  const table = renderTable(rows);
  const details = renderDetails(rows, sources, opts, info);
  console.log(`\n${table}\n\n${details}\n`);
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
  const header = `# Benchmark results\n\n${new Date().toISOString()}, \`${command}\``;
  await writeFile(RESULTS_FILE, `${header}\n\n${table}\n\n${details}\n`);
  log(`written to ${RESULTS_FILE.slice(ROOT.length)}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, cleaning up…`);
    void runCleanups().finally(() => process.exit(130));
  });
}
main()
  .catch((err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(runCleanups);
