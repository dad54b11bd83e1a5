// ffmpeg.wasm, the single-thread core the extension ships as its fallback, in a child Node
// process so that its peak RSS is its own (scripts/bench-wasm-child.mjs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchInput, type BenchRow, MP3_ARGS, ROOT, fmt, log, measuredRow } from './common.ts';

const FFMPEG_CORE_JS = join(ROOT, 'node_modules', '@ffmpeg', 'core', 'dist', 'esm', 'ffmpeg-core.js');
const WASM_CHILD = join(ROOT, 'scripts', 'bench-wasm-child.mjs');
const ENGINE = 'ffmpeg.wasm (single thread)';

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

export const wasmRow: BenchRow = {
  key: 'wasm',
  missing: async () => (existsSync(FFMPEG_CORE_JS) ? [] : ['@ffmpeg/core (run npm install)']),
  async measure(input, { opts, outPath }) {
    const identity = { key: 'wasm', engine: ENGINE, input };
    if (input.big) return [{ ...identity, skipped: 'n/a (whole file in wasm memory)' }];
    if (input.keepMp3) return [{ ...identity, skipped: 'n/a (not measured for copying)' }];
    log(`${ENGINE}, ${input.label}…`);
    const row = await measuredRow(identity, opts.runs, async (i) => {
      const out = outPath('wasm', i);
      const r = await runWasm(input, out);
      return { ...r, out, firstProgressMs: Number.NaN, note: `of which loading the core ${fmt(r.loadedMs)} ms` };
    });
    return [row];
  },
};
