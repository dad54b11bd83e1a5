// Native ffmpeg: the bar the extension is measured against ("× native" divides by this row).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BenchInput,
  type BenchRow,
  MP3_ARGS,
  OUT_DIR,
  log,
  measuredRow,
  now,
  spawnChecked,
  which,
} from './common.ts';

const GNU_TIME = '/usr/bin/time';

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

export const nativeRow: BenchRow = {
  key: 'native',
  missing: async () => ((await which('ffmpeg')) ? [] : ['ffmpeg']),
  async measure(input, { opts, outPath }) {
    const engine = input.keepMp3 ? 'native ffmpeg (`-c:a copy`)' : 'native ffmpeg';
    log(`${engine}, ${input.label}…`);
    const haveGnuTime = existsSync(GNU_TIME);
    const row = await measuredRow({ key: 'native', engine, input }, opts.runs, async (i) => {
      const out = outPath('native', i);
      return { ...(await runNative(input, out, haveGnuTime)), out, firstProgressMs: Number.NaN };
    });
    return [row];
  },
};
