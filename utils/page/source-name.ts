import { mp3NameFor, sanitizeFileName } from '../file-names';

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
