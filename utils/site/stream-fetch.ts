import { ConversionError } from '../failures';

/** What the fetches of one stream found out, for the message a failure gets. */
export interface StreamFetchLog {
  /** The manifest itself arrived and is one: a later failure is a piece of the stream. */
  manifestRead: boolean;
  /** A playlist asked for copy protection. */
  drm: boolean;
}

const ATTEMPTS = 3;

/** Copy protection (DRM) in an HLS playlist: sample encryption, FairPlay keys, or a key format other than plain AES. */
export function hlsAsksForDrm(playlist: string): boolean {
  for (const line of playlist.split(/\r?\n/)) {
    if (!/^#EXT-X-(SESSION-)?KEY:/.test(line)) continue;
    const method = /METHOD=([A-Z0-9-]+)/.exec(line)?.[1];
    if (!method || method === 'NONE') continue;
    if (method !== 'AES-128') return true;
    if (/URI="skd:/i.test(line)) return true;
    const keyFormat = /KEYFORMAT="([^"]*)"/.exec(line)?.[1];
    if (keyFormat && keyFormat !== 'identity') return true;
  }
  return false;
}

const looksLikePlaylist = (url: string, response: Response) =>
  /\.m3u8?$/i.test(new URL(url).pathname) || /mpegurl/i.test(response.headers.get('Content-Type') ?? '');

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * A fetch for mediabunny that asks as the page's player does: with the site's cookies (the Referer
 * comes from the job's header rule), retrying a dropped connection or a server error a few times, and
 * reading each playlist for copy protection before any of its pieces is fetched.
 */
export function pageFetch(rootUrl: string, log: StreamFetchLog, signal: AbortSignal): typeof fetch {
  return async (resource, init) => {
    const url = resource instanceof Request ? resource.url : String(resource);
    let response: Response | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        response = await fetch(resource, { ...init, credentials: 'include' });
        if (response.status < 500 || attempt >= ATTEMPTS) break;
      } catch (error) {
        if (signal.aborted || attempt >= ATTEMPTS) throw error;
      }
      await wait(500 * attempt, signal);
    }
    const isRoot = url === rootUrl;
    if (response.ok && (isRoot || looksLikePlaylist(url, response))) {
      const text = await response.clone().text();
      if (hlsAsksForDrm(text)) {
        log.drm = true;
        throw new ConversionError('drm');
      }
      if (isRoot) log.manifestRead = text.startsWith('#EXTM3U');
    }
    return response;
  };
}
