import type { ChapterSpan } from './chapterSpans';

/**
 * The chapters marked under the time ruler: a line where each starts and its title, cut short
 * where the next begins. Screen readers get them from the chapter list below the waveform.
 */
export function ChapterMarks({ chapters, durationSeconds }: { chapters: ChapterSpan[]; durationSeconds: number }) {
  const percent = (seconds: number) => `${(seconds / durationSeconds) * 100}%`;
  return (
    <div className="waveform__chapters" aria-hidden="true">
      {chapters.map((chapter) => (
        <div
          key={chapter.start}
          className="waveform__chapter"
          style={{ left: percent(chapter.start), width: percent(chapter.end - chapter.start) }}
          title={chapter.title}
        >
          <span className="waveform__chapter-title">{chapter.title}</span>
        </div>
      ))}
    </div>
  );
}
