import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="margin:24px;font-family:sans-serif">${body}</body></html>`;

/** The pages the in-page tests visit; each mimics how real sites show videos and upload fields. */
const TEST_PAGES: Record<string, string> = {
  '/video.html': page(
    'Holiday video',
    '<h1>A video</h1><p>Intro text.</p><video src="/media/clip.mp4" width="320" height="180" controls></video><p>After.</p>',
  ),
  '/small-video.html': page('Tiny video', '<video src="/media/clip.mp4" width="150" height="84"></video>'),
  '/late-video.html': page(
    'Feed',
    `<div id="feed"></div><script>setTimeout(() => { const v = document.createElement('video'); v.src = '/media/opus-48k.webm'; v.width = 320; v.height = 180; document.getElementById('feed').append(v); }, 800);</script>`,
  ),
  '/file-input.html': page(
    'Upload',
    '<form><label>Your video <input id="video" type="file" accept="video/*,.mkv"></label><br><label>Your photo <input id="photo" type="file" accept="image/*"></label></form>',
  ),
  '/mediasource.html': page(
    'Streaming site',
    `<video id="v" width="320" height="180"></video><script>const ms = new MediaSource(); document.getElementById('v').src = URL.createObjectURL(ms);</script>`,
  ),
  '/blob-video.html': page(
    'Made in the page',
    `<video id="v" width="320" height="180"></video><script>fetch('/media/vorbis-44k.webm').then(r => r.blob()).then(b => { document.getElementById('v').src = URL.createObjectURL(b); document.title = 'Blob clip'; });</script>`,
  ),
  '/iframe.html': page('Embed', '<h1>Embedded player</h1><iframe src="/video.html" width="480" height="320"></iframe>'),
  '/refused.html': page('Hotlink protected', '<video src="/forbidden/clip.mp4" width="320" height="180"></video>'),
  '/long-video.html': page('Long talk', '<video src="/media/long.mp4" width="320" height="180"></video>'),
  '/fullscreen.html': page(
    'Player',
    `<div id="player" style="background:#000;padding:10px"><video src="/media/clip.mp4" width="320" height="180"></video></div>
     <button id="player-fs" onclick="document.getElementById('player').requestFullscreen()">Player fullscreen</button>
     <button id="video-fs" onclick="document.querySelector('video').requestFullscreen()">Video fullscreen</button>`,
  ),
  // Players that keep their <video> in a custom element's shadow root (Media Chrome, mux-player…).
  '/shadow-players.html': page(
    'Players',
    `<open-player src="/media/clip.mp4"></open-player>
     <outer-player></outer-player>
     <div id="late"></div>
     <script>
      const playerIn = (root, src) => {
        const video = document.createElement('video');
        video.src = src; video.width = 320; video.height = 180;
        root.append(video);
      };
      customElements.define('open-player', class extends HTMLElement {
        connectedCallback() { playerIn(this.attachShadow({ mode: 'open' }), this.getAttribute('src')); }
      });
      customElements.define('inner-player', class extends HTMLElement {
        connectedCallback() { playerIn(this.attachShadow({ mode: 'open' }), '/media/opus-48k.webm'); }
      });
      customElements.define('outer-player', class extends HTMLElement {
        connectedCallback() { this.attachShadow({ mode: 'open' }).append(document.createElement('inner-player')); }
      });
      customElements.define('closed-player', class extends HTMLElement {
        connectedCallback() { const closedRoot = window.closedRoot = this.attachShadow({ mode: 'closed' }); playerIn(closedRoot, '/media/vorbis-44k.webm'); }
      });
      // A closed player added later, as a feed would.
      setTimeout(() => document.getElementById('late').append(document.createElement('closed-player')), 600);
     </script>`,
  ),
  '/link.html': page('Links', '<a id="link" href="/media/flac-48k.mkv">Download the video</a>'),
  '/hostile.html': page(
    'Hostile',
    `<video src="/media/clip.mp4" width="320" height="180"></video><script>
      window.clicks = 0;
      setInterval(() => {
        for (const host of document.querySelectorAll('video-to-mp3-extract')) {
          const button = host.shadowRoot && host.shadowRoot.querySelector('button');
          if (button) { button.click(); button.dispatchEvent(new MouseEvent('click', { bubbles: true })); window.clicks++; }
        }
      }, 100);
    </script>`,
  ),
};

/**
 * Serves TEST_PAGES and the fixtures (with byte ranges, as video players ask) on a loopback port:
 * `/media/<fixture>` always, `/stall-once/<fixture>` after a first download that stops half way.
 */
export async function startTestSite(fixturesDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const stalled = new Set<string>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const html = TEST_PAGES[path];
    if (html) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    if (path.startsWith('/forbidden/')) {
      response.writeHead(403).end('Forbidden');
      return;
    }
    // The first request for each such file gets its headers and first bytes, then nothing more.
    if (path.startsWith('/stall-once/') && !stalled.has(path)) {
      stalled.add(path);
      response.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': 1_000_000 });
      response.write(Buffer.alloc(64 * 1024));
      return;
    }
    if (!path.startsWith('/media/') && !path.startsWith('/stall-once/')) {
      response.writeHead(404).end();
      return;
    }
    const file = join(fixturesDir, decodeURIComponent(path.slice(path.indexOf('/', 1) + 1)).replace(/[/\\]/g, ''));
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      response.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.webm') ? 'video/webm' : file.endsWith('.mkv') ? 'video/x-matroska' : 'video/mp4';
    const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      response.writeHead(206, {
        'Content-Type': type,
        'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Accept-Ranges': 'bytes',
      });
      createReadStream(file, { start, end }).pipe(response);
    } else {
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Accept-Ranges': 'bytes' });
      createReadStream(file).pipe(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
