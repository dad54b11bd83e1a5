#!/usr/bin/env -S npx tsx
// `npm run bench`: converts generated videos (music-like and mostly quiet sound, an MP3-sound
// clip, and with --big ~2 GB) with native ffmpeg, ffmpeg.wasm and the extension itself (headless
// Chromium, the file chosen in an open popup → the MP3 in the downloads folder), one after
// another, and prints wall time, memory and how exactly each MP3 keeps the sound's start/end.
// The rows are in scripts/bench/rows.ts. Not a test: nothing here asserts on timing.
//
// Usage: npm run bench -- [--no-build] [--big] [--runs N] [--only ROWS] [--inputs NAMES] [--pss] [--trace]
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  type BenchInput,
  type Exactness,
  type MeasuredRow,
  type Options,
  type Row,
  type SignalTimes,
  OUT_DIR,
  RESULTS_FILE,
  ROOT,
  fail,
  fmt,
  log,
  mb,
  run,
  runCleanups,
  signed,
  which,
} from './bench/common.ts';
import {
  END_SECONDS,
  ONSET_SECONDS,
  THRESHOLD,
  measureExactness,
  nominalSignal,
  prepareInputs,
} from './bench/media.ts';
import { benchRows } from './bench/rows.ts';
import { benchEditor } from './bench/editor-memory.ts';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------
// Command line

function usage() {
  return `usage: npm run bench -- [--no-build] [--big] [--runs N] [--only ROWS] [--inputs NAMES] [--pss] [--trace]

  --no-build   use the existing build in .output/chrome-mv3 instead of running \`wxt build\`
  --big        also bench a ~2 GB MP4 (the 4-minute clip concatenated; made once, ~2 GB of disk)
  --runs N     measured runs per row (default 1); each row reports the median. The extension
               always does one extra first run in a fresh browser, reported on its own row
  --only ROWS  comma-separated subset of rows: ${benchRows.map((r) => r.key).join(', ')}
  --trace      trace the extension's last warm run (all processes) and list CPU time per thread
  --inputs NAMES  only the inputs whose file name contains one of these (e.g. music,quiet)
  --pss        extension memory as PSS instead of RSS (fairer to shared pages, but each 50 ms
               sample then costs ~20 ms of CPU, which slows the conversion it measures)`;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { build: true, big: false, pss: false, trace: false, runs: 1, only: new Set(), inputs: [] };
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
    else if (arg === '--trace') opts.trace = true;
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
        if (!benchRows.some((r) => r.key === row)) fail(`--only: unknown row "${row}"\n\n${usage()}`);
    } else if (arg === '--inputs' || arg.startsWith('--inputs=')) {
      opts.inputs = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    } else if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    } else fail(`unknown option ${arg}\n\n${usage()}`);
  }
  return opts;
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
    const extra = r.note ? `; ${r.note}` : '';
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

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const selected = benchRows.filter((row) => opts.only.size === 0 || opts.only.has(row.key));
  const missing: string[] = [];
  for (const tool of ['ffmpeg', 'ffprobe']) if (!(await which(tool))) missing.push(tool);
  for (const row of selected) missing.push(...((await row.missing?.()) ?? []));
  if (missing.length) fail(`missing: ${missing.join(', ')}`);
  for (const row of selected) await row.setUp?.(opts);

  const inputs = (await prepareInputs(opts.big)).filter(
    (input) => opts.inputs.length === 0 || opts.inputs.some((part) => input.name.includes(part)),
  );
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
  for (const input of inputs) {
    const outPath = (label: string, i: number) =>
      join(OUT_DIR, `${label}-${input.name.replace(/\.mp4$/, '')}-${i}.mp3`);
    for (const row of selected) rows.push(...(await row.measure(input, { opts, outPath })));
  }

  if (opts.only.has('extension')) await benchEditor(inputs.filter((input) => !input.keepMp3));
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
