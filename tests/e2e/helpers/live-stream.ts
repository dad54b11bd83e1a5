import { execFile } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeMono } from '../../../scripts/make-fixtures';

const run = promisify(execFile);

/** Beeps at uneven times, so where a recording of part of the stream starts can be told from its sound alone. */
const LIVE_BEEPS_SECONDS = [0.3, 1.7, 2.2, 3.6, 4.1, 5.5, 6.4, 7.2, 8.8, 9.3, 10.7, 11.4];
const BEEP_SECONDS = 0.15;
const LENGTH_SECONDS = 12;

/** An ffmpeg lavfi source: `seconds` of stereo 48 kHz quiet with a 880 Hz beep starting at each of `beeps`. */
export function beepsSource(beeps: number[], seconds: number): string {
  // Commas inside a filter's argument are escaped.
  const gate = beeps.map((at) => `between(t\\,${at}\\,${(at + BEEP_SECONDS).toFixed(2)})`).join('+');
  return `aevalsrc=0.5*sin(2*PI*880*t)*(${gate}):s=48000:c=stereo:d=${seconds}`;
}

/**
 * Writes `live/index.m3u8` under `root` (kept when already there): 12 s of beeps as AAC in 1 s MPEG-TS
 * segments, a finished playlist that the test site serves as a live one, growing (`serveLivePlaylist`).
 */
export async function makeLiveStream(root: string): Promise<string> {
  const dir = join(root, 'live');
  if (
    await access(join(dir, 'done')).then(
      () => true,
      () => false,
    )
  )
    return dir;
  await mkdir(dir, { recursive: true });
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    beepsSource(LIVE_BEEPS_SECONDS, LENGTH_SECONDS),
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-f',
    'hls',
    '-hls_time',
    '1',
    '-hls_playlist_type',
    'vod',
    '-hls_segment_filename',
    join(dir, 'seg%d.ts'),
    join(dir, 'index.m3u8'),
  ]);
  await writeFile(join(dir, 'done'), '');
  return dir;
}

/** The lines before the first segment, and each segment's two lines (`#EXTINF` and its file). */
function splitPlaylist(playlist: string): { head: string[]; segments: string[][] } {
  const lines = playlist.split('\n').filter((line) => line && line !== '#EXT-X-ENDLIST');
  const first = lines.findIndex((line) => line.startsWith('#EXTINF'));
  const head = lines.slice(0, first).filter((line) => !line.startsWith('#EXT-X-PLAYLIST-TYPE'));
  const segments: string[][] = [];
  for (let index = first; index + 1 < lines.length; index += 2) segments.push([lines[index]!, lines[index + 1]!]);
  return { head, segments };
}

/**
 * The stream as a live playlist that shows three segments, then one more each time the extension asks
 * again (the page's own player doesn't move it on, so the test doesn't depend on how fast it polls). With
 * `ends`, it gets `#EXT-X-ENDLIST` once every segment is shown; without, it stays live.
 */
export function livePlaylist(dir: string, ends: boolean) {
  let shown = 3;
  return async (byExtension: boolean): Promise<string> => {
    const { head, segments } = splitPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
    const lines = [...head, ...segments.slice(0, shown).flat()];
    if (ends && shown >= segments.length) lines.push('#EXT-X-ENDLIST');
    if (byExtension) shown = Math.min(segments.length, shown + 1);
    return `${lines.join('\n')}\n`;
  };
}

/** Where each beep of a decoded file starts: a sample over 0.1 after at least 0.1 s of quiet. */
export async function beepOnsets(path: string): Promise<number[]> {
  const { samples, sampleRate } = await decodeMono(path);
  const onsets: number[] = [];
  let lastLoud = -Infinity;
  for (let index = 0; index < samples.length; index++) {
    if (Math.abs(samples[index]!) <= 0.1) continue;
    if (index - lastLoud > 0.1 * sampleRate) onsets.push(index / sampleRate);
    lastLoud = index;
  }
  return onsets;
}
