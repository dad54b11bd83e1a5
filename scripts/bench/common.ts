// What every bench row shares: paths, the types of inputs, runs and rows, and small helpers.
import { execFile, spawn, type StdioOptions } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MEDIA_DIR = join(ROOT, 'bench', '.media');
export const OUT_DIR = join(MEDIA_DIR, 'out');
export const RESULTS_FILE = join(ROOT, 'bench', 'results.md');
export const MP3_ARGS = ['-vn', '-c:a', 'libmp3lame', '-b:a', '192k'];

export interface Options {
  build: boolean;
  big: boolean;
  pss: boolean;
  /** Record a Chrome trace of the extension's last warm run and print CPU time per thread. */
  trace: boolean;
  runs: number;
  /** Row keys to run; empty for all. */
  only: Set<string>;
  /** Only the inputs whose file name contains one of these; empty for all. */
  inputs: string[];
}

/** Where the signal starts and ends, in seconds. */
export interface SignalTimes {
  start: number;
  end: number;
}

export interface BenchInput {
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

export interface AudioInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  duration: number;
}

export interface Exactness extends AudioInfo, SignalTimes {
  decodedSeconds: number;
  startErrorMs: number;
  endErrorMs: number;
}

export interface ProcessGrowth {
  process: string;
  bytes: number;
  started: boolean;
}

export interface MemoryReport {
  baselineBytes: number;
  peakExtraBytes: number;
  samples: number;
  meanSampleMs: number;
  kind: 'PSS' | 'RSS';
  processes: number;
  growth: ProcessGrowth[];
}

/** One measured run; the engines add what only they know. */
export interface RunResult {
  wallMs: number;
  firstProgressMs: number;
  peakBytes: number;
  /** The MP3 it made. */
  out: string;
  /** Free-form notes for the details list (e.g. "of which loading the core 300 ms"). */
  note?: string;
  memory?: MemoryReport;
}

/** A row of runs: the median wall time's run, with the medians and every run's wall time. */
type Measured = RunResult & { runs: number[] };

export interface RowIdentity {
  /** The bench row that made it (its --only key); "native" rows are what "× native" divides by. */
  key: string;
  engine: string;
  input: BenchInput;
}

export type MeasuredRow = RowIdentity & Measured & { skipped?: undefined; exact?: Exactness };
/** Why a row has no numbers: the table says so in its place. */
type SkippedRow = RowIdentity & { skipped: `n/a (${string})` };
export type Row = MeasuredRow | SkippedRow;

/** What a bench row is given for each input. */
interface RowContext {
  opts: Options;
  /** Where run `i` of a table row labelled `label` writes its MP3. */
  outPath: (label: string, i: number) => string;
}

/**
 * One engine or variant to bench: a file in scripts/bench/ exports one, and scripts/bench/rows.ts
 * lists it. `measure` returns the table rows it made for one input (several, e.g. first and warm).
 */
export interface BenchRow {
  key: string;
  /** Tools it needs that are missing ("ffmpeg", "@ffmpeg/core (run npm install)"). */
  missing?: () => Promise<string[]>;
  /** Runs once before any input (e.g. a build). */
  setUp?: (opts: Options) => Promise<void>;
  measure: (input: BenchInput, ctx: RowContext) => Promise<Row[]>;
}

export function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const now = () => performance.timeOrigin + performance.now();
export const mb = (bytes: number) => bytes / 1e6;
export const log = (message: string) => console.error(`· ${message}`);

function median(values: number[]) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] as number;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

export async function exists(path: string) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function which(file: string) {
  if (file.includes('/')) return existsSync(file);
  return run('sh', ['-c', `command -v ${file}`]).then(
    () => true,
    () => false,
  );
}

/** Runs a command to completion, rejecting with its stderr tail when it fails. */
export function spawnChecked(
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

/** Undo list for browsers and their temp profiles, run at the end and on Ctrl-C. */
export const cleanups = new Set<() => Promise<void>>();
export const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
export async function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    await fn().catch(() => undefined);
  }
}

export function fmt(value: number | string | undefined, digits = 0) {
  if (typeof value === 'string') return value;
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

export function signed(value: number | undefined, digits = 2) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

export async function measure(runs: number, once: (i: number) => Promise<RunResult>): Promise<Measured> {
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

/** A row that measures `once` `runs` times as one table row. */
export async function measuredRow(
  identity: RowIdentity,
  runs: number,
  once: (i: number) => Promise<RunResult>,
): Promise<MeasuredRow> {
  return { ...identity, ...(await measure(runs, once)) };
}
