import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { liveMpd, livePlaylist } from './live-stream';

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

const streamPage = (title: string, src: string) =>
  page(title, `<h1>${title}</h1><video src="${src}" preload="none" width="320" height="180" controls></video>`);

/** Pages whose video the browser plays from an HLS playlist itself (`<video src="….m3u8">`). */
const STREAM_PAGES: Record<string, string> = {
  '/hls-ts.html': streamPage('Harbour tour', '/streams/ts/index.m3u8'),
  '/hls-fmp4.html': streamPage('Mountain walk', '/streams/fmp4/master.m3u8'),
  '/hls-aes.html': streamPage('Locked box', '/streams/aes/index.m3u8'),
  '/hls-byterange.html': streamPage('One file', '/streams/byterange/index.m3u8'),
  '/hls-cookie.html': streamPage('Members only', '/cookie-only/ts/index.m3u8'),
  '/hls-referer.html': streamPage('Hotlinked', '/referer-only/ts/index.m3u8'),
  '/hls-drm.html': streamPage('Protected film', '/drm/index.m3u8'),
  '/hls-missing.html': streamPage('Gone stream', '/streams/none/index.m3u8'),
  '/hls-broken.html': streamPage('Broken piece', '/broken/index.m3u8'),
  // Live streams (tests/e2e/helpers/live-stream.ts), each with a playlist of its own that grows.
  '/live-ends.html': streamPage('Morning show', '/live/ends/index.m3u8'),
  '/live-stop.html': streamPage('Night show', '/live/stop/index.m3u8'),
  '/live-cut.html': streamPage('Cut short', '/live/cut/index.m3u8'),
  // The separate-audio stream through hls.js, with a poster (the MP3's cover) of its own size.
  '/hlsjs-poster.html': page(
    'Poster page',
    `<video id="v" width="320" height="180" muted poster="/streams/poster/poster.png"></video>
     <script src="/lib/hls.min.js"></script><script>
       const hls = new Hls();
       hls.loadSource('/streams/fmp4/master.m3u8');
       hls.attachMedia(document.getElementById('v'));
     </script>`,
  ),
  '/poster-video.html': page(
    'Poster clip',
    '<video src="/media/clip.mp4" poster="/streams/poster/poster.png" width="320" height="180"></video>',
  ),
  // Four minutes whose every segment is served slowly: the job is still downloading when the test acts.
  '/hls-slow.html': streamPage('Slow stream', '/slow/long/index.m3u8'),
  '/hlsjs.html': page(
    'Two players',
    `<video id="first" width="320" height="180" muted></video><video id="second" width="320" height="180" muted></video>
     <script src="/lib/hls.min.js"></script><script>
       for (const [id, src] of [['first', '/streams/ts/index.m3u8'], ['second', '/streams/fmp4/master.m3u8']]) {
         const hls = new Hls();
         hls.loadSource(src);
         hls.attachMedia(document.getElementById(id));
       }
     </script>`,
  ),
};

const dashPage = (title: string, src: string) =>
  page(
    title,
    `<h1>${title}</h1><video id="v" width="320" height="180" muted></video><script src="/lib/dash.all.min.js"></script>
     <script>dashjs.MediaPlayer().create().initialize(document.getElementById('v'), '${src}', false);</script>`,
  );

/** Pages that play DASH through dash.js (MediaSource). */
const DASH_PAGES: Record<string, string> = {
  '/dash-timeline.html': dashPage('River timeline', '/streams/dash-timeline/manifest.mpd'),
  '/dash-time.html': dashPage('River time', '/streams/dash-time/manifest.mpd'),
  '/dash-template.html': dashPage('River template', '/streams/dash-template/manifest.mpd'),
  '/dash-list.html': dashPage('River list', '/streams/dash-list/manifest.mpd'),
  '/dash-base.html': dashPage('River base', '/streams/dash-base/manifest.mpd'),
  '/dash-drm.html': dashPage('Protected series', '/drm/manifest.mpd'),
  '/dash-periods.html': dashPage('Three acts', '/streams/dash-periods/manifest.mpd'),
  '/live-dash-ends.html': dashPage('Evening show', '/live-dash/ends/manifest.mpd'),
  '/live-dash-stop.html': dashPage('Late show', '/live-dash/stop/manifest.mpd'),
};

/** The players the test pages use, from the devDependencies. */
const PLAYER_LIBRARIES: Record<string, string> = {
  // require() resolves dash.js to its UMD build, the one a <script> can load.
  '/lib/hls.min.js': createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'),
  '/lib/dash.all.min.js': createRequire(import.meta.url).resolve('dashjs'),
};

/** A playlist that asks for FairPlay (SAMPLE-AES with an skd:// key) over the plain TS segments. */
const DRM_PLAYLIST = [
  '#EXTM3U',
  '#EXT-X-VERSION:5',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key-1",KEYFORMAT="com.apple.streamingkeydelivery",KEYFORMATVERSIONS="1"',
  '#EXTINF:1.2,',
  '/streams/ts/index0.ts',
  '#EXT-X-ENDLIST',
  '',
].join('\n');

const STREAM_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  mpd: 'application/dash+xml',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  bin: 'application/octet-stream',
  png: 'image/png',
};

/** How long `/slow/…` holds each segment back. */
const SLOW_SEGMENT_MS = 300;

/**
 * Serves TEST_PAGES and the fixtures (with byte ranges, as video players ask) on a loopback port:
 * `/media/<fixture>` always, `/stall-once/<fixture>` after a first download that stops half way.
 */
export interface TestSite {
  url: string;
  /** Every path asked for, in order (the tests clear it). */
  requests: string[];
  /** The paths the extension asked for (not the page: its requests are same-origin), in order (the tests clear it). */
  extensionRequests: string[];
  close(): Promise<void>;
}

/**
 * Serves a file of the HLS streams (`tests/e2e/helpers/streams.ts`) under `streamsDir`:
 * `/streams/…` to anyone, `/slow/…` to anyone with each segment held back, `/cookie-only/…` with the
 * cookie its page sets, `/referer-only/…` with its page as Referer.
 */
function serveStream(streamsDir: string, request: IncomingMessage, response: ServerResponse, path: string): boolean {
  const [, gate, ...rest] = path.split('/');
  if (gate === 'drm' && rest.join('/') === 'index.m3u8') {
    response.writeHead(200, { 'Content-Type': STREAM_TYPES.m3u8! }).end(DRM_PLAYLIST);
    return true;
  }
  // The TS playlist with its second segment gone.
  if (gate === 'broken' && rest.join('/') === 'index.m3u8') {
    const playlist = readFileSync(join(streamsDir, 'ts', 'index.m3u8'), 'utf8')
      .replace(/^index(\d)\.ts$/gm, '/streams/ts/index$1.ts')
      .replace('/streams/ts/index1.ts', '/streams/ts/gone.ts');
    response.writeHead(200, { 'Content-Type': STREAM_TYPES.m3u8! }).end(playlist);
    return true;
  }
  // The timeline MPD, its AdaptationSets marked as Common Encryption.
  if (gate === 'drm' && rest.join('/') === 'manifest.mpd') {
    const mpd = readFileSync(join(streamsDir, 'dash-timeline', 'manifest.mpd'), 'utf8')
      .replace(
        /(<AdaptationSet[^>]*>)/g,
        '$1<ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"/>',
      )
      .replace(/<BaseURL>[^<]*<\/BaseURL>|(initialization|media)="/g, (match) =>
        match.startsWith('<') ? '' : `${match}/streams/dash-timeline/`,
      );
    response.writeHead(200, { 'Content-Type': STREAM_TYPES.mpd! }).end(mpd);
    return true;
  }
  if (gate !== 'streams' && gate !== 'slow' && gate !== 'cookie-only' && gate !== 'referer-only') return false;
  const allowed =
    (gate === 'streams' ||
      gate === 'slow' ||
      (gate === 'cookie-only' && /(^|; )member=yes/.test(request.headers.cookie ?? '')) ||
      (gate === 'referer-only' && /\/hls-referer\.html$/.test(request.headers.referer ?? ''))) &&
    rest.every((part) => part && part !== '..');
  if (!allowed) {
    response.writeHead(403).end('Forbidden');
    return true;
  }
  const file = join(streamsDir, ...rest);
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch {
    response.writeHead(404).end();
    return true;
  }
  const type = STREAM_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
  if (gate === 'slow' && type !== STREAM_TYPES.m3u8) {
    setTimeout(() => sendStreamFile(request, response, type, body), SLOW_SEGMENT_MS);
    return true;
  }
  sendStreamFile(request, response, type, body);
  return true;
}

function sendStreamFile(request: IncomingMessage, response: ServerResponse, type: string, body: Buffer): void {
  if (response.destroyed) return;
  const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    response
      .writeHead(206, { 'Content-Type': type, 'Content-Range': `bytes ${start}-${end}/${body.length}` })
      .end(body.subarray(start, end + 1));
  } else {
    response.writeHead(200, { 'Content-Type': type, 'Accept-Ranges': 'bytes' }).end(body);
  }
}

/** `/live/<name>/index.m3u8`: the live stream's playlist, `ends` finishing once it is all shown, the others never. */
function liveStreams(streamsDir: string) {
  const playlists = new Map<string, ReturnType<typeof livePlaylist>>();
  const mpds = new Map<string, ReturnType<typeof liveMpd>>();
  return (request: IncomingMessage, response: ServerResponse, path: string): boolean => {
    // The same stream as live DASH: `/live-dash/<name>/manifest.mpd` and its pieces.
    const dash = /^\/live-dash\/(\w+)\/(manifest\.mpd|[\w-]+\.m4s)$/.exec(path);
    if (dash) {
      const [, name, file] = dash as unknown as [string, string, string];
      const dir = join(streamsDir, 'live');
      if (file !== 'manifest.mpd') {
        response.writeHead(200, { 'Content-Type': STREAM_TYPES.m4s! }).end(readFileSync(join(dir, 'dash', file)));
        return true;
      }
      if (!mpds.has(name)) mpds.set(name, liveMpd(dir, name === 'ends'));
      void mpds.get(name)!(request.headers['sec-fetch-site'] !== 'same-origin').then((mpd) =>
        response.writeHead(200, { 'Content-Type': STREAM_TYPES.mpd! }).end(mpd),
      );
      return true;
    }
    const match = /^\/live\/(\w+)\/(index\.m3u8|seg\d+\.ts)$/.exec(path);
    if (!match) return false;
    const [, name, file] = match as unknown as [string, string, string];
    const dir = join(streamsDir, 'live');
    if (file !== 'index.m3u8') {
      response.writeHead(200, { 'Content-Type': STREAM_TYPES.ts! }).end(readFileSync(join(dir, file)));
      return true;
    }
    if (!playlists.has(name)) playlists.set(name, livePlaylist(dir, name === 'ends'));
    void playlists.get(name)!(request.headers['sec-fetch-site'] !== 'same-origin').then((playlist) =>
      response.writeHead(200, { 'Content-Type': STREAM_TYPES.m3u8! }).end(playlist),
    );
    return true;
  };
}

export async function startTestSite(fixturesDir: string): Promise<TestSite> {
  const stalled = new Set<string>();
  const serveLive = liveStreams(join(fixturesDir, 'streams'));
  const requests: string[] = [];
  const extensionRequests: string[] = [];
  const streamsDir = join(fixturesDir, 'streams');
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    if (request.headers['sec-fetch-site'] !== 'same-origin') extensionRequests.push(path);
    const html = TEST_PAGES[path] ?? STREAM_PAGES[path] ?? DASH_PAGES[path];
    if (html) {
      const cookie = path === '/hls-cookie.html' ? { 'Set-Cookie': 'member=yes; Path=/; SameSite=Lax' } : {};
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...cookie }).end(html);
      return;
    }
    if (serveStream(streamsDir, request, response, path)) return;
    if (serveLive(request, response, path)) return;
    const library = PLAYER_LIBRARIES[path];
    if (library) {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(library));
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
    requests,
    extensionRequests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
