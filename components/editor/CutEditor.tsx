import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { i18n } from '#i18n';
import { describeFailure } from '@/utils/failures';
import { activeFades, type Fades } from '@/utils/fades';
import { formatTime, type Trim } from '@/utils/trim';
import type { WaveformFailure } from '@/utils/engines/local/waveform/waveform-messages';
import { Alert } from '../Alert';
import { useWaveform } from './useWaveform';
import { Waveform, type Selection } from './Waveform';
import { TimeField } from './TimeField';
import { FadeField, readFade } from './FadeField';
import { usePreview } from './usePreview';
import { SaveCut } from './SaveCut';
import { toMilliseconds } from './CutHandle';
import { ChapterList } from './ChapterList';
import { chapterSpans, type ChapterSpan } from './chapterSpans';

/** Zoomed in no further than half a second across the waveform. */
const MIN_VIEW_SECONDS = 0.5;

function failureText(failure: WaveformFailure, fileName: string): string {
  return failure === 'editor-unreadable'
    ? i18n.t('editor.unreadable', { file: fileName })
    : describeFailure(failure, fileName);
}

/** Keys that belong to the focused control, so Space there is not Play. */
const OWNS_SPACE = 'input, textarea, select, button, a, summary, [contenteditable]';

/** What the editor shows for one chosen video: its waveform, the cut, the preview, the fades and **Save MP3**. */
export function CutEditor({ file, videoUrl }: { file: File; videoUrl: string }) {
  const waveform = useWaveform(file);
  const duration = waveform.durationSeconds ?? 0;
  const [selection, setSelection] = useState<Selection>();
  const [playhead, setPlayhead] = useState(0);
  const [zoom, setZoom] = useState(1);
  const [fadeText, setFadeText] = useState({ in: '0', out: '0' });
  const video = useRef<HTMLVideoElement>(null);
  const [cannotPlay, setCannotPlay] = useState(false);
  const preview = usePreview(video, setPlayhead);
  if (waveform.durationSeconds !== undefined && !selection) setSelection({ start: 0, end: waveform.durationSeconds });

  const seek = useCallback(
    (seconds: number) => {
      preview.stop();
      setPlayhead(seconds);
      if (video.current && Number.isFinite(seconds)) video.current.currentTime = seconds;
    },
    [preview],
  );
  const select = (next: Selection) => {
    const moved = next.start !== selection?.start ? next.start : next.end;
    setSelection(next);
    seek(moved);
  };

  const chooseChapter = (chapter: ChapterSpan) => {
    setSelection({ start: chapter.start, end: chapter.end });
    seek(chapter.start);
  };
  const chapters = useMemo(() => chapterSpans(waveform.chapters, duration), [waveform.chapters, duration]);

  const fadeIn = readFade(fadeText.in);
  const fadeOut = readFade(fadeText.out);
  const fades: Fades | undefined =
    fadeIn === undefined || fadeOut === undefined ? undefined : activeFades({ inSeconds: fadeIn, outSeconds: fadeOut });
  const fadeProblem = fadeIn === undefined || fadeOut === undefined ? i18n.t('editor.fadeInvalid') : undefined;

  const togglePlay = useCallback(() => {
    if (!selection) return;
    if (preview.playing) preview.stop();
    else
      preview.play(selection, fades).catch((error: unknown) => {
        console.warn('Playing the selection failed', error);
        preview.stop();
        setCannotPlay(true);
      });
  }, [preview, selection, fades]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== ' ' || (event.target instanceof Element && event.target.closest(OWNS_SPACE))) return;
      event.preventDefault();
      togglePlay();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [togglePlay]);

  if (waveform.failure) return <Alert message={failureText(waveform.failure, file.name)} />;

  const maxZoom = Math.max(1, 2 ** Math.floor(Math.log2(duration / MIN_VIEW_SECONDS)));
  const trim: Trim | undefined = selection && {
    startSeconds: selection.start,
    // The end of the sound is left open, so a last frame the container doesn't measure is kept whole.
    ...(selection.end < duration ? { endSeconds: selection.end } : {}),
  };

  return (
    <section className="cut-editor" aria-labelledby="cut-editor-file">
      <h2 id="cut-editor-file" className="cut-editor__file">
        {file.name}
      </h2>
      {!waveform.done && <p className="muted">{i18n.t('editor.reading')}</p>}
      <div className="cut-editor__view">
        <video
          ref={video}
          className="cut-editor__picture"
          src={videoUrl}
          preload="auto"
          playsInline
          aria-label={i18n.t('editor.picture')}
          onError={() => setCannotPlay(true)}
          hidden={cannotPlay}
        />
        {selection && duration > 0 ? (
          <Waveform
            table={waveform.table}
            filledSeconds={waveform.filledSeconds}
            durationSeconds={duration}
            chapters={chapters}
            selection={selection}
            fades={fades}
            playhead={playhead}
            zoom={zoom}
            onSelect={select}
            onSeek={seek}
          />
        ) : (
          <div className="waveform waveform--empty" />
        )}
      </div>
      {cannotPlay && <p className="muted">{i18n.t('editor.cannotPlay', { file: file.name })}</p>}
      {selection && (
        <>
          <div className="cut-editor__controls">
            <button
              type="button"
              className="button"
              disabled={cannotPlay}
              aria-pressed={preview.playing}
              onClick={togglePlay}
            >
              {i18n.t(preview.playing ? 'editor.stop' : 'editor.play')}
            </button>
            <span className="muted" aria-live="off">
              {i18n.t('editor.playhead', { time: formatTime(playhead) })}
            </span>
            <span className="cut-editor__zoom">
              <button type="button" className="button" disabled={zoom >= maxZoom} onClick={() => setZoom(zoom * 2)}>
                {i18n.t('editor.zoomIn')}
              </button>
              <button type="button" className="button" disabled={zoom <= 1} onClick={() => setZoom(zoom / 2)}>
                {i18n.t('editor.zoomOut')}
              </button>
            </span>
          </div>
          <ChapterList chapters={chapters} onChoose={chooseChapter} />
          <div className="cut-editor__fields">
            <TimeField
              label={i18n.t('editor.startTime')}
              value={selection.start}
              min={0}
              max={toMilliseconds(selection.end - Math.min(0.1, duration))}
              onChange={(start) => select({ ...selection, start })}
            />
            <TimeField
              label={i18n.t('editor.endTime')}
              value={selection.end}
              min={toMilliseconds(selection.start + Math.min(0.1, duration))}
              max={duration}
              onChange={(end) => select({ ...selection, end })}
            />
            <FadeField
              label={i18n.t('editor.fadeIn')}
              value={fadeText.in}
              onChange={(text) => setFadeText({ ...fadeText, in: text })}
            />
            <FadeField
              label={i18n.t('editor.fadeOut')}
              value={fadeText.out}
              onChange={(text) => setFadeText({ ...fadeText, out: text })}
            />
          </div>
          <p className="muted">{i18n.t('editor.selection', { length: formatTime(selection.end - selection.start) })}</p>
          <Alert message={fadeProblem} />
          {trim && <SaveCut file={file} trim={trim} fades={fades} blocked={fadeProblem} />}
        </>
      )}
    </section>
  );
}
