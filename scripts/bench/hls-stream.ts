// An HLS stream with separate audio (two video variants and one AAC rendition, made once from the
// music-like clip), served over loopback HTTP: native `ffmpeg -i URL` against the extension given
// the master playlist in the popup's Video link field, and the bytes each fetched of the stream.
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import {
  type BenchInput,
  type BenchRow,
  MEDIA_DIR,
  MP3_ARGS,
  type Row,
  cleanups,
  exists,
  fmt,
  log,
  mb,
  measuredRow,
  now,
  spawnChecked,
  which,
} from './common.ts';
import { extensionRow, launchBrowser, runExtensionOnce, waitForIdle, type JobStart } from './extension.ts';

// Bump the version when the recipe changes, so a stream made by an older one is made again.
const STREAM_NAME = 'bench-music-hls-v1';
const TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
};

/** The clip as fMP4 HLS: its 720p video copied, a 360p variant, and its AAC sound copied as the default audio rendition. */
async function makeStream(clip: string): Promise<string> {
  const dir = join(MEDIA_DIR, STREAM_NAME);
  if (await exists(join(dir, 'done'))) return dir;
  log(`making ${STREAM_NAME} (HLS with separate audio, from ${clip.split(sep).pop()}; takes a minute or two)…`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await spawnChecked('ffmpeg', [
    ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', clip],
    ...['-map', '0:v', '-map', '0:v', '-map', '0:a', '-c:v:0', 'copy', '-c:a', 'copy'],
    ...['-c:v:1', 'libx264', '-preset', 'veryfast', '-s:v:1', '640x360', '-b:v:1', '800k', '-g:v:1', '50'],
    ...['-f', 'hls', '-hls_time', '6', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4'],
    ...['-var_stream_map', 'v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud,default:yes,language:en'],
    ...['-master_pl_name', 'master.m3u8', '-hls_segment_filename', join(dir, '%v', 'seg%d.m4s')],
    join(dir, '%v', 'index.m3u8'),
  ]);
  // Marks a whole stream: an interrupted run leaves none, and the next one makes it again.
  await writeFile(join(dir, 'done'), '');
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Serves the stream's folder on a loopback port, counting the bytes it sends (reset per run). */
async function serve(dir: string) {
  let sent = 0;
  /** Bytes sent per rendition folder (`0/`, `1/`, … as ffmpeg numbers the variants), this run. */
  let byFolder = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = join(dir, path.replace(`/${STREAM_NAME}/`, '/'));
    if (relative(dir, file).startsWith('..')) return void response.writeHead(403).end();
    stat(file).then(
      ({ size }) => {
        const type = TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
        response.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Access-Control-Allow-Origin': '*' });
        const body = createReadStream(file);
        const folder = relative(dir, file).split(sep).slice(0, -1).join('/') || '.';
        body.on('data', (chunk) => {
          sent += chunk.length;
          byFolder.set(folder, (byFolder.get(folder) ?? 0) + chunk.length);
        });
        body.pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanups.add(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${STREAM_NAME}/master.m3u8`,
    /** The bytes sent since the last call, in all and by folder. */
    takeSent: () => {
      const bytes = {
        total: sent,
        byFolder: [...byFolder]
          .sort()
          .map(([folder, n]) => `${folder}/ ${fmt(mb(n), 2)} MB`)
          .join(', '),
      };
      sent = 0;
      byFolder = new Map();
      return bytes;
    },
    close: async () => {
      cleanups.delete(close);
      await close();
    },
  };
}

const fetched = (bytes: number, total: number) =>
  `fetched ${fmt(mb(bytes), 1)} of the stream's ${fmt(mb(total), 1)} MB (${fmt((100 * bytes) / total, 1)} %)`;
const byFolder = (sent: { byFolder: string }) => `by folder: ${sent.byFolder}`;

export const hlsStreamRow: BenchRow = {
  key: 'hls',
  missing: async () => [...((await which('ffmpeg')) ? [] : ['ffmpeg']), ...((await extensionRow.missing?.()) ?? [])],
  setUp: (opts) => extensionRow.setUp?.(opts) ?? Promise.resolve(),
  async measure(input, { opts, outPath }) {
    // One stream is enough: the music-like clip's, its sound where LAME's speed shows.
    if (!input.name.startsWith('bench-music') || input.keepMp3 || input.big) return [];
    const dir = await makeStream(input.path);
    const totalBytes = (await Promise.all((await filesUnder(dir)).map(async (file) => (await stat(file)).size))).reduce(
      (sum, size) => sum + size,
      0,
    );
    const stream: BenchInput = {
      ...input,
      name: STREAM_NAME,
      label: `the same clip as HLS (2 video variants, separate AAC audio), ${fmt(mb(totalBytes))} MB`,
    };
    const server = await serve(dir);
    const rows: Row[] = [];
    try {
      log(`native ffmpeg, ${stream.label}…`);
      let nativeBytes = { total: 0, byFolder: '' };
      const native = await measuredRow(
        { key: 'native', engine: 'native ffmpeg, `-i URL`', input: stream },
        opts.runs,
        async (i) => {
          const out = outPath('native-hls', i);
          server.takeSent();
          const started = now();
          await spawnChecked('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', server.url, ...MP3_ARGS, out]);
          const wallMs = now() - started;
          nativeBytes = server.takeSent();
          return {
            out,
            wallMs,
            firstProgressMs: Number.NaN,
            peakBytes: Number.NaN,
            note: `${fetched(nativeBytes.total, totalBytes)}, ${byFolder(nativeBytes)}`,
          };
        },
      );
      rows.push({ ...native, engine: `${native.engine} (${fetched(nativeBytes.total, totalBytes)})` });

      const { chromium } = await import('playwright-core');
      log(`extension, ${stream.label}: launching Chromium…`);
      const session = await launchBrowser(chromium);
      // A pasted link has no page: the job and its MP3 are named after the manifest's folder.
      const how: JobStart = {
        jobName: STREAM_NAME,
        start: async (popup) => {
          const field = popup.getByLabel('Video link');
          await field.fill(server.url);
          await field.press('Enter');
        },
      };
      try {
        for (const [label, runs] of [
          ['first run', 1],
          ['warm', opts.runs],
        ] as const) {
          let bytes = { total: 0, byFolder: '' };
          const row = await measuredRow(
            { key: 'hls', engine: `extension, Video link, ${label}`, input: stream },
            runs,
            async (i) => {
              server.takeSent();
              const result = await runExtensionOnce(
                session,
                stream,
                outPath(`extension-hls-${label.split(' ')[0]}`, i),
                opts.pss,
                how,
              );
              bytes = server.takeSent();
              await waitForIdle(session.popup, how.jobName);
              return { ...result, note: `${fetched(bytes.total, totalBytes)}, ${byFolder(bytes)}; ${result.note}` };
            },
          );
          rows.push({ ...row, engine: `${row.engine} (${fetched(bytes.total, totalBytes)})` });
        }
      } finally {
        cleanups.delete(session.close);
        await session.close();
      }
    } finally {
      await server.close();
    }
    return rows;
  },
};
