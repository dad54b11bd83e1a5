#!/usr/bin/env -S npx tsx
// `npm run dev`: serves the demo page (a video, a streamed one and a file input) and starts WXT, which opens
// Chromium with the extension loaded on that page and rebuilds it as you edit.
import { spawn, execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = join(root, 'demo');
const mediaDir = join(demoDir, '.media');
const port = Number(process.env.DEMO_PORT ?? 5175);
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.mp4': 'video/mp4',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
};

function makeDemoVideo() {
  const target = join(mediaDir, 'demo.mp4');
  if (existsSync(target)) return;
  mkdirSync(mediaDir, { recursive: true });
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25:duration=20',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=20',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    '-shortest',
    target,
  ]);
}

/** The same video as an HLS stream (MPEG-TS segments), for the demo page's streamed video. */
function makeDemoStream() {
  const dir = join(mediaDir, 'hls');
  if (existsSync(join(dir, 'index.m3u8'))) return;
  mkdirSync(dir, { recursive: true });
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-i',
    join(mediaDir, 'demo.mp4'),
    '-c',
    'copy',
    '-f',
    'hls',
    '-hls_time',
    '4',
    '-hls_playlist_type',
    'vod',
    join(dir, 'index.m3u8'),
  ]);
}

function serveDemo(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file =
      path === '/'
        ? join(demoDir, 'index.html')
        : path.startsWith('/media/')
          ? join(mediaDir, normalize(path.slice(7)))
          : undefined;
    if (!file || !file.startsWith(demoDir) || !existsSync(file)) {
      response.writeHead(404).end('Not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

makeDemoVideo();
makeDemoStream();
const server = await serveDemo();
const demoUrl = `http://localhost:${port}/`;
console.log(`Demo page: ${demoUrl}`);
const wxt = spawn('npx', ['wxt', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DEMO_URL: demoUrl },
});
const stop = () => wxt.kill('SIGINT');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
wxt.on('exit', (code) => {
  server.close();
  process.exit(code ?? 0);
});
