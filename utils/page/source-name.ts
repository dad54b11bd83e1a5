import { mp3NameFor, sanitizeFileName } from '../file-names';

/** The streaming format a manifest's address says it is in (`.m3u8`, `.mpd`), if any. */
export function streamFormatOf(url: string): 'hls' | 'dash' | undefined {
  try {
    const path = new URL(url).pathname;
    return /\.m3u8?$/i.test(path) ? 'hls' : /\.mpd$/i.test(path) ? 'dash' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A streamed video is named after the page title: a manifest's own name (`index.m3u8`) says nothing.
 * A pasted link has no page: the folder the manifest is in names it.
 */
export function namesForStream(
  pageTitle: string | undefined,
  url?: string,
): { sourceName: string; outputName: string } {
  let folder: string;
  try {
    folder = url ? decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).at(-2) ?? '') : '';
  } catch {
    folder = '';
  }
  const title = pageTitle?.trim() || folder || 'video';
  return { sourceName: title, outputName: `${sanitizeFileName(title, 'video')}.mp3` };
}

/** A web video is named after its URL's last path segment, else after the page title. */
export function namesForUrl(url: string, pageTitle: string | undefined): { sourceName: string; outputName: string } {
  let segment: string;
  try {
    segment = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    segment = '';
  }
  if (segment && /\.[a-z0-9]{2,5}$/i.test(segment)) return { sourceName: segment, outputName: mp3NameFor(segment) };
  const title = pageTitle?.trim() || segment || 'video';
  return { sourceName: title, outputName: `${sanitizeFileName(title, 'video')}.mp3` };
}
