import type { ReadableBlob } from '../blob-window-source';
import type { Chapter } from './chapter';
import { readChapterTrack } from './chapter-track';
import { readMatroskaChapters } from './matroska';
import { readNeroChapters } from './nero';

/**
 * The source's chapters: an MP4's Nero chapter list or QuickTime chapter track, or a Matroska/WebM
 * file's chapters. Chapters
 * are a nicety: a file whose chapters can't be read converts without them.
 */
export async function readChapters(blob: ReadableBlob): Promise<Chapter[]> {
  for (const reader of [readNeroChapters, readChapterTrack, readMatroskaChapters]) {
    try {
      const chapters = await reader(blob);
      if (chapters.length > 0) return chapters;
    } catch {
      // Not this container, or damaged where the chapters are.
    }
  }
  return [];
}
