import { execFile } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
 * sequence) and `byterange/` (one TS file, its segments as byte ranges).
 */
export async function makeStreams(root: string, source: string): Promise<void> {
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
