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

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Writes under `root` (each kept when already there) 12 s of beeps as AAC in 1 s segments: `live/index.m3u8`
 * (MPEG-TS) and `live/dash/manifest.mpd` (fMP4, a SegmentTimeline), finished ones that the test site serves
 * as live ones, growing (`livePlaylist`, `liveMpd`).
 */
export async function makeLiveStream(root: string): Promise<string> {
  const dir = join(root, 'live');
  const encode = [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    beepsSource(LIVE_BEEPS_SECONDS, LENGTH_SECONDS),
  ];
  const aac = ['-c:a', 'aac', '-b:a', '128k'];
  if (!(await exists(join(dir, 'done')))) {
    await mkdir(dir, { recursive: true });
    await run('ffmpeg', [
      ...encode,
      ...aac,
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
  }
  if (!(await exists(join(dir, 'dash', 'done')))) {
    await mkdir(join(dir, 'dash'), { recursive: true });
    await run('ffmpeg', [
      ...encode,
      ...aac,
      '-f',
      'dash',
      '-seg_duration',
      '1',
      '-use_template',
      '1',
      '-use_timeline',
      '1',
      join(dir, 'dash', 'manifest.mpd'),
    ]);
    await writeFile(join(dir, 'dash', 'done'), '');
  }
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

/** A SegmentTimeline's pieces, one `<S>` each (its `r` repeats written out). */
function timelinePieces(timeline: string): { t: number; d: number }[] {
  const pieces: { t: number; d: number }[] = [];
  for (const [entry] of timeline.matchAll(/<S\b[^>]*>/g)) {
    const attribute = (name: string) => new RegExp(`\\b${name}="(\\d+)"`).exec(entry)?.[1];
    const at = attribute('t');
    const duration = Number(attribute('d'));
    let t = at === undefined ? (pieces.at(-1)?.t ?? 0) + (pieces.at(-1)?.d ?? 0) : Number(at);
    for (let repeat = 0; repeat <= Number(attribute('r') ?? 0); repeat++, t += duration)
      pieces.push({ t, d: duration });
  }
  return pieces;
}

/**
 * The DASH stream as a live (dynamic) MPD, grown as `livePlaylist` grows its playlist: three pieces, then
 * one more each time the extension asks. With `ends`, it turns static with its length once all are shown.
 */
export function liveMpd(dir: string, ends: boolean) {
  let shown = 3;
  return async (byExtension: boolean): Promise<string> => {
    const mpd = await readFile(join(dir, 'dash', 'manifest.mpd'), 'utf8');
    const timeline = /<SegmentTimeline>([\s\S]*?)<\/SegmentTimeline>/.exec(mpd)?.[1];
    if (!timeline) throw new Error(`${join(dir, 'dash', 'manifest.mpd')}: no SegmentTimeline`);
    const pieces = timelinePieces(timeline);
    const listed = pieces.slice(0, shown);
    const ended = ends && shown >= pieces.length;
    if (byExtension) shown = Math.min(pieces.length, shown + 1);
    if (ended) return mpd;
    return mpd
      .replace(
        /\btype="static"/,
        'type="dynamic" availabilityStartTime="1970-01-01T00:00:00Z" minimumUpdatePeriod="PT1S"',
      )
      .replace(/\s*mediaPresentationDuration="[^"]*"/, '')
      .replace(timeline, listed.map(({ t, d }) => `<S t="${t}" d="${d}" />`).join(''));
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
