// How fast each LAME build encodes music-like sound, one core, against native LAME (ffmpeg's libmp3lame and the
// lame command) on the same PCM: pink noise and a chord, 48 kHz stereo, 192 kbps CBR, LAME's default quality.
// Usage: npm run bench:lame -- [--seconds 240] [--runs 2] [name=build.wasm ...]
// It times the extension's LAME (wasm-media-encoders' build) and each other build named, for instance one
// of scripts/build-lame.sh (docs/performance.md, "Our LAME build").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEncoder } from 'wasm-media-encoders';
import { encodeWithLame } from '../../utils/engines/local/mp3/lame.ts';

const SAMPLE_RATE = 48_000;
const BITRATE = 192;

const { values, positionals } = parseArgs({
  options: { seconds: { type: 'string', default: '240' }, runs: { type: 'string', default: '2' } },
  allowPositionals: true,
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);

/** Pink noise (Paul Kellet's filter) under a C major chord, each channel its own noise. */
function musicLike(length: number): Float32Array[] {
  let seed = 1;
  const white = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x3fffffff - 1;
  };
  return [0, 1].map((channel) => {
    const plane = new Float32Array(length);
    let [b0, b1, b2] = [0, 0, 0];
    for (let i = 0; i < length; i++) {
      const w = white();
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      const pink = (b0 + b1 + b2 + w * 0.1848) * 0.05;
      const t = i / SAMPLE_RATE;
      const chord = [261.63, 329.63, 392.0].reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * t + channel), 0);
      plane[i] = pink + 0.12 * chord;
    }
    return plane;
  });
}

function best(timings: number[]) {
  return Math.min(...timings);
}

function timeWasm(wasm: Uint8Array, planes: Float32Array[]) {
  return async () => {
    const lame = await createEncoder('audio/mpeg', wasm);
    const started = performance.now();
    const mp3 = encodeWithLame(lame, planes, { sampleRate: SAMPLE_RATE, channels: 2, bitrate: BITRATE });
    return { ms: performance.now() - started, bytes: mp3.length };
  };
}

function timeCommand(command: string, args: string[]) {
  return async () => {
    const started = performance.now();
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    return { ms: performance.now() - started, bytes: readFileSync(args.at(-1)!).length };
  };
}

function wavFile(planes: Float32Array[]): Buffer {
  const frames = planes[0]!.length;
  const wav = Buffer.alloc(44 + frames * 4);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + frames * 4, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(2, 22);
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 4, 28);
  wav.writeUInt16LE(4, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < 2; c++) {
      const sample = Math.max(-1, Math.min(1, planes[c]![i]!));
      wav.writeInt16LE(Math.round(sample * 32767), 44 + i * 4 + c * 2);
    }
  }
  return wav;
}

const planes = musicLike(seconds * SAMPLE_RATE);
const work = mkdtempSync(join(tmpdir(), 'lame-speed-'));
const wav = join(work, 'in.wav');
writeFileSync(wav, wavFile(planes));

const require = createRequire(import.meta.url);
const builds: [string, string][] = [
  ['wasm-media-encoders 0.7.0', require.resolve('wasm-media-encoders/wasm/mp3')],
  ...positionals.map((arg) => arg.split('=', 2) as [string, string]),
];

for (const [name, path] of builds) {
  if (!path || !existsSync(path)) {
    console.error(`lame-speed: no wasm file "${path}" for "${name}"; name builds as name=path/to/build.wasm`);
    process.exit(1);
  }
}

const rows: [string, () => Promise<{ ms: number; bytes: number }>][] = [
  [
    'native ffmpeg libmp3lame',
    timeCommand('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      wav,
      '-c:a',
      'libmp3lame',
      '-b:a',
      `${BITRATE}k`,
      join(work, 'ffmpeg.mp3'),
    ]),
  ],
  ['native lame', timeCommand('lame', ['--quiet', '--cbr', '-b', String(BITRATE), wav, join(work, 'lame.mp3')])],
  ...builds.map(([name, path]) => [name, timeWasm(readFileSync(path), planes)] as (typeof rows)[number]),
];

// Round after round of every row, so that load from elsewhere on the machine falls on all rows alike.
const timings = rows.map(() => [] as number[]);
const sizes: number[] = [];
for (let round = 0; round < runs; round++) {
  for (const [index, [, run]] of rows.entries()) {
    const { ms, bytes } = await run();
    timings[index]!.push(ms);
    sizes[index] = bytes;
  }
}
console.log(`${seconds} s of pink noise and a chord, 48 kHz stereo, ${BITRATE} kbps CBR; best of ${runs}`);
const nativeMs = best(timings[0]!);
for (const [index, [name]] of rows.entries()) {
  const ms = best(timings[index]!);
  const cells = [name.padEnd(32), `${(ms / 1000).toFixed(2).padStart(6)} s`, `${(ms / nativeMs).toFixed(2)}× native`];
  console.log(`${cells.join('  ')}  ${sizes[index]} bytes`);
}
rmSync(work, { recursive: true, force: true });
