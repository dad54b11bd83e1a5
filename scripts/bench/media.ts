// The bench's inputs, made with ffmpeg once and kept in bench/.media/, and how exactly an MP3
// keeps their sound's start and end.
import { spawn } from 'node:child_process';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type AudioInfo,
  type BenchInput,
  type Exactness,
  type SignalTimes,
  MEDIA_DIR,
  exists,
  log,
  mb,
  run,
  spawnChecked,
} from './common.ts';

// Each clip's audio: silence, sound from exactly ONSET to exactly END, silence again.
const CLIP_SECONDS = 240;
export const ONSET_SECONDS = 1;
export const END_SECONDS = 239;
const SAMPLE_RATE = 48_000;
export const THRESHOLD = 0.1;
// Bump a name's version when its recipe changes, so a cached file from an older recipe is not reused.
const VIDEO_NAME = 'bench-video-4min-v1.mp4';
const BIG_NAME = 'bench-2gb-v2.mp4';
const MP3_CLIP_NAME = 'bench-4min-mp3-v2.mp4';
const BIG_TARGET_BYTES = 2e9;

const GATE = `gte(t\\,${ONSET_SECONDS})*lt(t\\,${END_SECONDS})`;
/** A chord of cosines at whole-number frequencies: every one at a crest at the whole-second onset and end. */
const CHORD = '0.2*cos(2*PI*220*t)+0.14*cos(2*PI*277*t)+0.1*cos(2*PI*330*t)+0.06*cos(2*PI*880*t)';

/** One 4-minute clip: the shared 720p H.264 video with this sound. */
interface ClipRecipe {
  name: string;
  /** What the table calls it. */
  sound: string;
  /** ffmpeg's lavfi graph for the stereo 48 kHz sound, `CLIP_SECONDS` long. */
  graph: string;
  aacBitrate: string;
}

const CLIPS: ClipRecipe[] = [
  {
    name: 'bench-music-v1.mp4',
    sound: 'music-like (pink noise and a chord, AAC 160 kbps)',
    // Pink noise (panned slowly) and a chord, gated sample-exactly by aeval's t.
    graph:
      `anoisesrc=color=pink:amplitude=0.5:seed=7:r=${SAMPLE_RATE}:d=${CLIP_SECONDS},` +
      `aeval=exprs=${GATE}*(0.35*val(0)+${CHORD})|${GATE}*(0.35*val(0)*cos(PI*t/7)+${CHORD}):c=stereo`,
    aacBitrate: '160k',
  },
  {
    name: 'bench-quiet-v1.mp4',
    sound: 'mostly quiet (a 100 ms tone each second, AAC 128 kbps)',
    // 100 ms of 440 Hz at the start of each second, and the last 100 ms before the end.
    graph:
      `aevalsrc=exprs=${GATE}*(lt(mod(t\\,1)\\,0.1)+gte(t\\,${END_SECONDS - 0.1}))*0.5*cos(2*PI*440*t)` +
      `:s=${SAMPLE_RATE}:c=stereo:d=${CLIP_SECONDS}`,
    aacBitrate: '128k',
  },
];

const ffmpegQuiet = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];

/** Writes `path` through a temporary file, so an interrupted run leaves no half-made input behind. */
async function makeOnce(path: string, make: (tmp: string) => Promise<unknown>) {
  if (await exists(path)) return;
  const tmp = `${path}.tmp-${process.pid}.mp4`;
  try {
    await make(tmp);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function makeVideo(path: string) {
  log(`generating ${basename(path)} (4 min 1280x720 H.264, takes a few minutes)…`);
  await makeOnce(path, (tmp) =>
    spawnChecked('ffmpeg', [
      ...ffmpegQuiet,
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=25:duration=${CLIP_SECONDS}`,
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
      '-movflags',
      '+faststart',
      tmp,
    ]),
  );
}

async function makeClip(path: string, videoPath: string, recipe: ClipRecipe) {
  log(`making ${basename(path)} (${recipe.sound})…`);
  await makeOnce(path, (tmp) =>
    spawnChecked('ffmpeg', [
      ...ffmpegQuiet,
      '-i',
      videoPath,
      '-f',
      'lavfi',
      '-i',
      recipe.graph,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-b:a',
      recipe.aacBitrate,
      '-t',
      String(CLIP_SECONDS),
      '-movflags',
      '+faststart',
      tmp,
    ]),
  );
}

/** The music-like clip with its sound as MP3 (video copied), for "Keep MP3 sound as it is". */
async function makeMp3Clip(path: string, clipPath: string) {
  log(`making ${basename(path)} (the clip with MP3 sound)…`);
  await makeOnce(path, (tmp) =>
    spawnChecked('ffmpeg', [...ffmpegQuiet, '-i', clipPath, '-c:v', 'copy', '-c:a', 'libmp3lame', '-b:a', '192k', tmp]),
  );
}

async function makeBig(path: string, clipPath: string) {
  const copies = Math.max(2, Math.round(BIG_TARGET_BYTES / (await stat(clipPath)).size));
  const list = `${path}.list-${process.pid}.txt`;
  log(`concatenating ${copies} copies into ${basename(path)} (stream copy)…`);
  try {
    await writeFile(
      list,
      `${Array.from({ length: copies }, () => `file '${clipPath.replaceAll("'", "'\\''")}'`).join('\n')}\n`,
    );
    await makeOnce(path, (tmp) =>
      spawnChecked('ffmpeg', [...ffmpegQuiet, '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', tmp]),
    );
  } finally {
    await rm(list, { force: true });
  }
}

const sizeLabel = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(mb(bytes))} MB`);

/** The inputs to bench, made once and cached: both clips, the MP3-sound clip and, with `big`, ~2 GB of the music. */
export async function prepareInputs(big: boolean) {
  await mkdir(MEDIA_DIR, { recursive: true });
  const video = join(MEDIA_DIR, VIDEO_NAME);
  await makeVideo(video);
  const inputs: BenchInput[] = [];
  for (const recipe of CLIPS) {
    const path = join(MEDIA_DIR, recipe.name);
    await makeClip(path, video, recipe);
    const bytes = (await stat(path)).size;
    inputs.push({
      name: recipe.name,
      path,
      bytes,
      copies: 1,
      big: false,
      label: `4-min 720p MP4, ${recipe.sound}, ${sizeLabel(bytes)}`,
    });
  }
  const music = inputs[0] as BenchInput;
  const mp3Clip = join(MEDIA_DIR, MP3_CLIP_NAME);
  await makeMp3Clip(mp3Clip, music.path);
  const mp3Bytes = (await stat(mp3Clip)).size;
  inputs.push({
    name: MP3_CLIP_NAME,
    path: mp3Clip,
    bytes: mp3Bytes,
    copies: 1,
    big: false,
    keepMp3: true,
    label: `4-min 720p MP4 with MP3 sound, copied, ${sizeLabel(mp3Bytes)}`,
  });
  if (big) {
    const bigPath = join(MEDIA_DIR, BIG_NAME);
    await makeBig(bigPath, music.path);
    const bytes = (await stat(bigPath)).size;
    const copies = Math.round(bytes / music.bytes);
    const minutes = (await probe(bigPath)).duration / 60;
    inputs.push({
      name: BIG_NAME,
      path: bigPath,
      bytes,
      copies,
      big: true,
      label: `${Math.round(minutes)}-min (${copies}× the music clip) 720p MP4, ${sizeLabel(bytes)}`,
    });
  }
  return inputs;
}

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
export function nominalSignal(input: BenchInput): SignalTimes {
  return { start: ONSET_SECONDS, end: (input.copies - 1) * CLIP_SECONDS + END_SECONDS };
}

/** The signal's start/end in a file, and their errors against `reference` (seconds). */
export async function measureExactness(path: string, reference: SignalTimes): Promise<Exactness> {
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
