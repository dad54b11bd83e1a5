import { chaptersInMp3, type Chapter } from '@/utils/engines/local/chapters/chapter';
import { i18n } from '#i18n';

/** A chapter as the editor shows it: where it starts and ends on the waveform, and a title to show. */
export interface ChapterSpan {
  title: string;
  start: number;
  end: number;
}

/**
 * The chapters across a sound `durationSeconds` long: each ends where the next starts (the last at
 * the end), cut to the sound; one without a title is called by its number.
 */
export function chapterSpans(chapters: readonly Chapter[], durationSeconds: number): ChapterSpan[] {
  return chaptersInMp3(chapters, 0, durationSeconds).map((chapter, index) => ({
    title: chapter.title.trim() || i18n.t('editor.chapterUntitled', { number: index + 1 }),
    start: chapter.startMs / 1000,
    end: chapter.endMs / 1000,
  }));
}
