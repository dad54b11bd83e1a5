import type { ReadableBlob } from '../blob-window-source';
import { child, fullBox, path, readMovieBox, type Box } from '../mp4/movie-box';
import type { Chapter } from './chapter';

/** Nero's `chpl` counts time in 100 ns units. */
const CHPL_TICKS_PER_SECOND = 10_000_000;

/**
 * An MP4's Nero chapter list (`moov/udta/chpl`, which ffmpeg, Nero and mp4v2 write): each chapter's
 * start and title; empty when there is none or it is cut short.
 */
export async function readNeroChapters(blob: ReadableBlob): Promise<Chapter[]> {
  const view = await readMovieBox(blob);
  if (!view) return [];
  const movie: Box = { type: 'moov', start: 8, end: view.byteLength };
  const list = path(view, movie, 'udta', 'chpl') ?? child(view, movie, 'chpl');
  if (!list) return [];
  const { version, at: fields } = fullBox(view, list);
  let at = fields + (version === 1 ? 4 : 0);
  if (at + 1 > list.end) return [];
  const count = view.getUint8(at++);
  const chapters: Chapter[] = [];
  const decoder = new TextDecoder();
  for (let index = 0; index < count; index++) {
    if (at + 9 > list.end) return [];
    const start = Number(view.getBigUint64(at));
    const length = view.getUint8(at + 8);
    at += 9;
    if (at + length > list.end) return [];
    const title = decoder.decode(new Uint8Array(view.buffer, view.byteOffset + at, length));
    at += length;
    chapters.push({ title, startSeconds: start / CHPL_TICKS_PER_SECOND });
  }
  return chapters;
}
