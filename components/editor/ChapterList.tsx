import { i18n } from '#i18n';
import { formatTime } from '@/utils/trim';
import type { ChapterSpan } from './chapterSpans';

/** The video's chapters with their times; choosing one selects it, from its start to its end. */
export function ChapterList({
  chapters,
  onChoose,
}: {
  chapters: ChapterSpan[];
  onChoose: (chapter: ChapterSpan) => void;
}) {
  if (chapters.length === 0) return null;
  return (
    <section className="chapter-list" aria-labelledby="chapter-list-heading">
      <h3 id="chapter-list-heading">{i18n.t('editor.chapters')}</h3>
      <p className="muted">{i18n.t('editor.chapterHint')}</p>
      <ol>
        {chapters.map((chapter) => {
          const from = formatTime(chapter.start);
          const to = formatTime(chapter.end);
          return (
            <li key={chapter.start}>
              <button
                type="button"
                className="button button--quiet chapter-list__chapter"
                onClick={() => onChoose(chapter)}
              >
                <span className="chapter-list__title">{chapter.title}</span>{' '}
                <span className="muted">
                  {from} – {to}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
