import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beepsSource } from './live-stream';

const run = promisify(execFile);

/** 16 bytes the AES-128 stream is encrypted with; served as /streams/aes/key.bin. */
const AES_KEY = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

const VIDEO = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '12', '-sc_threshold', '0'];
const AUDIO = ['-c:a', 'aac', '-b:a', '128k'];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

const hls = (dir: string, extra: string[]) => [
  '-f',
  'hls',
  '-hls_time',
  '1',
  '-hls_playlist_type',
  'vod',
  ...extra,
  join(dir, 'index.m3u8'),
];

/**
 * Writes the HLS streams the stream tests play under `root` (kept when already there), each cut from
 * `source` by ffmpeg: `ts/` (MPEG-TS segments, sound muxed in), `fmp4/master.m3u8` (fMP4 video and a
 * separate English audio group), `aes/` (AES-128, the key from the site, the IV from the media
 * sequence) and `byterange/` (one TS file, its segments as byte ranges); and DASH with separate
 * video and audio AdaptationSets: `dash-timeline/` (SegmentTemplate, SegmentTimeline, `$Number$`),
 * `dash-time/` (the same with `$Time$`), `dash-template/` (SegmentTemplate by duration), `dash-list/`
 * (SegmentList of byte ranges), `dash-base/` (SegmentBase: one file per representation with a sidx) and
 * `dash-periods/` (three periods of beeps, `PERIODS`);
 * `poster/poster.png`, and with `long`, `long/` (that video's sound, its packets as they are, in TS segments).
 */
export async function makeStreams(root: string, source: string, long?: string): Promise<void> {
  const make = async (name: string, write: (dir: string) => Promise<void>) => {
    const dir = join(root, name);
    if (await exists(join(dir, 'done'))) return;
    await mkdir(dir, { recursive: true });
    await write(dir);
    await writeFile(join(dir, 'done'), '');
  };
  await make('ts', (dir) => ffmpeg(['-i', source, ...VIDEO, ...AUDIO, ...hls(dir, [])]));
  await make('byterange', (dir) =>
    ffmpeg(['-i', source, ...VIDEO, ...AUDIO, ...hls(dir, ['-hls_flags', 'single_file'])]),
  );
  await make('aes', async (dir) => {
    await writeFile(join(dir, 'key.bin'), AES_KEY);
    // Key URI (relative to the playlist), then the key file; no IV line.
    await writeFile(join(dir, 'key.info'), `key.bin\n${join(dir, 'key.bin')}\n`);
    await ffmpeg(['-i', source, ...VIDEO, ...AUDIO, ...hls(dir, ['-hls_key_info_file', join(dir, 'key.info')])]);
    // ffmpeg encrypts each segment with its sequence number as IV; without an IV attribute the player must know that.
    const playlist = join(dir, 'index.m3u8');
    await writeFile(playlist, (await readFile(playlist, 'utf8')).replace(/,IV=0x[0-9a-f]+/i, ''));
  });
  const dash = (dir: string, extra: string[]) =>
    ffmpeg([
      '-i',
      source,
      '-map',
      '0:v',
      '-map',
      '0:a',
      ...VIDEO,
      ...AUDIO,
      '-f',
      'dash',
      '-seg_duration',
      '1',
      '-adaptation_sets',
      'id=0,streams=v id=1,streams=a',
      ...extra,
      join(dir, 'manifest.mpd'),
    ]);
  await make('dash-timeline', (dir) => dash(dir, ['-use_template', '1', '-use_timeline', '1']));
  await make('dash-time', async (dir) => {
    await dash(dir, [
      '-use_template',
      '1',
      '-use_timeline',
      '1',
      '-media_seg_name',
      'chunk-$RepresentationID$-$Time$.m4s',
    ]);
    // ffmpeg names the first audio segment by its pre-roll time (-1024) while its MPD says t="0".
    await rename(join(dir, 'chunk-1--1024.m4s'), join(dir, 'chunk-1-0.m4s'));
  });
  await make('dash-template', (dir) => dash(dir, ['-use_template', '1', '-use_timeline', '0']));
  await make('dash-list', (dir) => dash(dir, ['-single_file', '1', '-use_template', '0', '-use_timeline', '0']));
  await make('dash-base', (dir) => writeSegmentBase(dir, source));
  await make('dash-periods', writePeriods);
  // A poster of a size no frame of the clip has, so the cover can only be it.
  await make('poster', (dir) =>
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=400x224', '-frames:v', '1', join(dir, 'poster.png')]),
  );
  // The 4-minute fixture's sound, its packets as they are, in 4-second TS segments.
  if (long)
    await make('long', (dir) =>
      ffmpeg([
        '-i',
        long,
        '-map',
        '0:a',
        '-c',
        'copy',
        '-f',
        'hls',
        '-hls_time',
        '4',
        '-hls_playlist_type',
        'vod',
        join(dir, 'index.m3u8'),
      ]),
    );
  await make('fmp4', (dir) =>
    ffmpeg([
      '-i',
      source,
      '-map',
      '0:v',
      '-map',
      '0:a',
      ...VIDEO,
      ...AUDIO,
      '-f',
      'hls',
      '-hls_time',
      '1',
      '-hls_playlist_type',
      'vod',
      '-hls_segment_type',
      'fmp4',
      '-var_stream_map',
      'v:0,agroup:aud a:0,agroup:aud,default:yes,language:en',
      '-master_pl_name',
      'master.m3u8',
      '-hls_segment_filename',
      join(dir, '%v', 'seg%d.m4s'),
      join(dir, '%v', 'index.m3u8'),
    ]),
  );
}

/** Where each top-level box of an MP4 file starts and ends. */
function topLevelBoxes(file: Buffer): { type: string; start: number; end: number }[] {
  const boxes = [];
  for (let start = 0; start + 8 <= file.length;) {
    const size = file.readUInt32BE(start);
    const end = start + (size === 1 ? Number(file.readBigUInt64BE(start + 8)) : size);
    boxes.push({ type: file.toString('latin1', start + 4, start + 8), start, end });
    if (end <= start) break;
    start = end;
  }
  return boxes;
}

/** One fragmented MP4 per representation with a global sidx, and an MPD that points at them with SegmentBase. */
async function writeSegmentBase(dir: string, source: string): Promise<void> {
  const representations: string[] = [];
  for (const [name, map, codec, args] of [
    ['video.mp4', '0:v', 'avc1.42c00a', VIDEO],
    ['audio.mp4', '0:a', 'mp4a.40.2', AUDIO],
  ] as const) {
    const path = join(dir, name);
    await ffmpeg([
      '-i',
      source,
      '-map',
      map,
      ...args,
      '-frag_duration',
      '1000000',
      '-movflags',
      '+frag_keyframe+empty_moov+default_base_moof+global_sidx',
      path,
    ]);
    const boxes = topLevelBoxes(await readFile(path));
    const moov = boxes.find((box) => box.type === 'moov');
    const sidx = boxes.find((box) => box.type === 'sidx');
    if (!moov || !sidx) throw new Error(`${path}: no moov or sidx box`);
    const kind = map === '0:v' ? 'video' : 'audio';
    representations.push(
      `<AdaptationSet contentType="${kind}" mimeType="${kind}/mp4" lang="en"><Representation id="${kind}" codecs="${codec}" bandwidth="${kind === 'video' ? 90000 : 128000}">` +
        `<BaseURL>${name}</BaseURL><SegmentBase indexRange="${sidx.start}-${sidx.end - 1}"><Initialization range="0-${moov.end - 1}"/></SegmentBase>` +
        '</Representation></AdaptationSet>',
    );
  }
  await writeFile(
    join(dir, 'manifest.mpd'),
    `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" mediaPresentationDuration="PT3.1S" minBufferTime="PT2S">
<Period id="0" start="PT0S">${representations.join('')}</Period>
</MPD>
`,
  );
}

/** `dash-periods/`: a clip of beeps per period (beeps timed from the period's start), each period its own BaseURL. */
const PERIODS = {
  seconds: 2.56,
  beeps: [
    [0.3, 1.4],
    [0.5, 1.9],
    [0.2, 1.1, 2.0],
  ],
};

/** Where the beeps of `dash-periods/` start in the whole stream, and its length. */
export const periodsSound = () => ({
  onsets: PERIODS.beeps.flatMap((beeps, index) => beeps.map((at) => index * PERIODS.seconds + at)),
  seconds: PERIODS.beeps.length * PERIODS.seconds,
});

/**
 * Each clip (a test picture and its beeps) cut into DASH by ffmpeg in `p<n>/`, then one MPD of the three
 * periods whose representations are named after their period (`p2-1`), as an ad-stitching server would.
 */
async function writePeriods(dir: string): Promise<void> {
  const periods: string[] = [];
  for (const [index, beeps] of PERIODS.beeps.entries()) {
    const name = `p${index + 1}`;
    await mkdir(join(dir, name), { recursive: true });
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=320x180:rate=25:duration=${PERIODS.seconds}`,
      '-f',
      'lavfi',
      '-i',
      beepsSource(beeps, PERIODS.seconds),
      '-map',
      '0:v',
      '-map',
      '1:a',
      ...VIDEO,
      ...AUDIO,
      '-f',
      'dash',
      '-seg_duration',
      '1',
      '-use_template',
      '1',
      '-use_timeline',
      '1',
      '-adaptation_sets',
      'id=0,streams=v id=1,streams=a',
      join(dir, name, 'manifest.mpd'),
    ]);
    const mpd = await readFile(join(dir, name, 'manifest.mpd'), 'utf8');
    const body = /<Period[^>]*>([\s\S]*)<\/Period>/.exec(mpd)?.[1];
    if (!body) throw new Error(`${join(dir, name, 'manifest.mpd')}: no Period`);
    const renamed = body.replace(
      /<Representation id="([^"]+)"([\s\S]*?)<\/Representation>/g,
      (_, id: string, rest: string) =>
        `<Representation id="${name}-${id}"${rest.replaceAll('$RepresentationID$', id)}</Representation>`,
    );
    periods.push(
      `<Period id="${name}" start="PT${(index * PERIODS.seconds).toFixed(2)}S" duration="PT${PERIODS.seconds}S"><BaseURL>${name}/</BaseURL>${renamed}</Period>`,
    );
  }
  await writeFile(
    join(dir, 'manifest.mpd'),
    `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" profiles="urn:mpeg:dash:profile:isoff-live:2011" mediaPresentationDuration="PT${periodsSound().seconds.toFixed(2)}S" minBufferTime="PT2S">
${periods.join('\n')}
</MPD>
`,
  );
}
