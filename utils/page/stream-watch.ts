/* eslint-disable @typescript-eslint/unbound-method -- each proxy calls its original with the caller's own `this` */
import { ANSWER_EVENT, ASK_EVENT, manifestFormat, type StreamFormat, type StreamNote } from './stream-notes';

interface SeenManifest {
  url: string;
  format: StreamFormat;
  /** When the page asked for it (performance.now()): a player asks for its manifest as it makes its MediaSource. */
  requestedAt: number;
  /** A master playlist or an MPD, which names every rendition, rather than one rendition's playlist. */
  master: boolean;
  drm: boolean;
}

/** Kept per page; a page that fetched more manifests than this is remembered by its latest ones. */
const MAX_MANIFESTS = 50;
/** Larger responses are segments or other media, never a manifest worth reading again. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const looksLikeManifest = (url: string, type: string, length: number) =>
  /\.(m3u8?|mpd)(\?|#|$)/i.test(url) ||
  /mpegurl|dash\+xml/i.test(type) ||
  (/text|xml|octet-stream/i.test(type) && length > 0 && length < MAX_MANIFEST_BYTES);

/**
 * Notes, passively and inside the page, which videos play through MediaSource and which HLS/DASH
 * manifests the page fetched, so that a click on **Extract MP3** can tell which stream that video
 * plays. The page's `fetch`, `XMLHttpRequest.prototype.send` and `URL.createObjectURL` are wrapped in
 * proxies, which behave and print as the originals; nothing is sent anywhere until the click asks.
 */
export function watchStreams(win: Window & typeof globalThis): void {
  const manifests: SeenManifest[] = [];
  const mediaSources = new Map<string, number>();
  const encrypted = new WeakSet<EventTarget>();

  const note = (url: string, text: string, requestedAt: number) => {
    const format = manifestFormat(text);
    if (!format || !/^https?:/i.test(url)) return;
    const master = format === 'dash' || text.includes('#EXT-X-STREAM-INF');
    manifests.push({ url, format, requestedAt, master, drm: format === 'dash' && /<ContentProtection\b/.test(text) });
    if (manifests.length > MAX_MANIFESTS) manifests.shift();
  };

  win.fetch = new Proxy(win.fetch, {
    apply(target, thisArg, args: Parameters<typeof fetch>) {
      const requestedAt = performance.now();
      const answer = Reflect.apply(target, thisArg, args);
      answer.then(
        (response) => {
          const type = response.headers.get('Content-Type') ?? '';
          const length = Number(response.headers.get('Content-Length')) || 0;
          if (!response.ok || !looksLikeManifest(response.url, type, length)) return;
          response
            .clone()
            .text()
            .then((text) => note(response.url, text, requestedAt))
            .catch(() => undefined);
        },
        () => undefined,
      );
      return answer;
    },
  });

  const xhr = win.XMLHttpRequest.prototype;
  xhr.send = new Proxy(xhr.send, {
    apply(target, request: XMLHttpRequest, args: [Document | XMLHttpRequestBodyInit | null | undefined]) {
      const requestedAt = performance.now();
      request.addEventListener(
        'load',
        () => {
          if (request.status >= 400) return;
          const { responseType, responseURL } = request;
          if (responseType === '' || responseType === 'text') note(responseURL, request.responseText, requestedAt);
          else if (responseType === 'arraybuffer') {
            const bytes = request.response as ArrayBuffer | null;
            if (
              bytes &&
              bytes.byteLength < MAX_MANIFEST_BYTES &&
              manifestFormat(new TextDecoder().decode(bytes.slice(0, 4096)))
            )
              note(responseURL, new TextDecoder().decode(bytes), requestedAt);
          }
        },
        { once: true },
      );
      Reflect.apply(target, request, args);
    },
  });

  const managed = (win as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource;
  win.URL.createObjectURL = new Proxy(win.URL.createObjectURL, {
    apply(target, thisArg, args: [Blob | MediaSource]) {
      const url = Reflect.apply(target, thisArg, args);
      const [object] = args;
      if ((win.MediaSource && object instanceof win.MediaSource) || (managed && object instanceof managed))
        mediaSources.set(url, performance.now());
      return url;
    },
  });

  win.addEventListener('encrypted', (event) => event.target && encrypted.add(event.target), true);

  /**
   * The video's manifest: for a MediaSource, the one asked for nearest in time to when that MediaSource
   * was made (a player asks for its manifest as it attaches to its video; the rendition playlists come
   * later), a master on a tie; for a video with its own address, the manifest at that address.
   */
  const manifestFor = (video: HTMLVideoElement): SeenManifest | undefined => {
    const src = video.currentSrc || video.src;
    const madeAt = mediaSources.get(src);
    if (madeAt === undefined && !(video.srcObject instanceof win.MediaSource))
      return manifests.find((seen) => seen.url === src);
    if (madeAt === undefined) return manifests.filter((seen) => seen.master).at(-1) ?? manifests.at(-1);
    let best: SeenManifest | undefined;
    for (const seen of manifests) {
      const distance = Math.abs(seen.requestedAt - madeAt);
      const bestDistance = best ? Math.abs(best.requestedAt - madeAt) : Infinity;
      if (distance < bestDistance || (distance === bestDistance && seen.master)) best = seen;
    }
    return best;
  };

  win.addEventListener(
    ASK_EVENT,
    (event) => {
      const video = event.composedPath()[0];
      if (!(video instanceof win.HTMLVideoElement)) return;
      const seen = manifestFor(video);
      const answer: StreamNote = {
        ...(seen && { manifest: { url: seen.url, format: seen.format } }),
        drm: encrypted.has(video) || !!seen?.drm,
      };
      video.dispatchEvent(new CustomEvent(ANSWER_EVENT, { detail: JSON.stringify(answer) }));
    },
    true,
  );
}
