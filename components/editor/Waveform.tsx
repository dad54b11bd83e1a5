import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import { i18n } from '#i18n';
import type { PeakTable } from '@/utils/engines/local/waveform/peaks';
import type { Fades } from '@/utils/fades';
import { CutHandle } from './CutHandle';
import { drawWaveform } from './drawWaveform';
import { ChapterMarks } from './ChapterMarks';
import type { ChapterSpan } from './chapterSpans';

export interface Selection {
  start: number;
  end: number;
}

/** The fades' gain over the selection, drawn as lines from its foot to its top. */
function FadeLines({ fades, seconds }: { fades: Fades; seconds: number }) {
  const x = (at: number) => Math.min(1000, Math.max(0, (at / seconds) * 1000));
  const points = `0,100 ${x(fades.inSeconds)},0 ${x(seconds - fades.outSeconds)},0 1000,100`;
  return (
    <svg className="waveform__fades" viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true">
      <polyline points={points} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** The scroller's padding leaves room for a handle at either end; the canvas spans what is inside it. */
function contentWidth(view: HTMLElement): number {
  const style = getComputedStyle(view);
  return view.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

/** The shortest selection the handles allow. */
const MIN_SELECTION_SECONDS = 0.1;

/**
 * The waveform with its ruler and the video's chapters marked under it, the selection shaded between the **Start** and **End** handles, and the
 * playhead. Zoomed in, it scrolls sideways; the canvas stays in view and draws only what is shown.
 */
export function Waveform({
  table,
  filledSeconds,
  durationSeconds,
  chapters,
  selection,
  fades,
  playhead,
  zoom,
  onSelect,
  onSeek,
}: {
  table: PeakTable | undefined;
  filledSeconds: number;
  durationSeconds: number;
  chapters: ChapterSpan[];
  selection: Selection;
  fades: Fades | undefined;
  playhead: number;
  zoom: number;
  onSelect: (selection: Selection) => void;
  onSeek: (seconds: number) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const track = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [viewWidth, setViewWidth] = useState(0);
  const gap = Math.min(MIN_SELECTION_SECONDS, durationSeconds);

  const redraw = useCallback(() => {
    const view = scroller.current;
    const trackWidth = track.current?.offsetWidth ?? 0;
    if (!view || !canvas.current || trackWidth === 0) return;
    const from = (view.scrollLeft / trackWidth) * durationSeconds;
    const to = ((view.scrollLeft + canvas.current.clientWidth) / trackWidth) * durationSeconds;
    drawWaveform(canvas.current, table, from, to);
  }, [table, durationSeconds]);

  useLayoutEffect(() => {
    const view = scroller.current;
    if (!view) return;
    const observer = new ResizeObserver(() => setViewWidth(contentWidth(view)));
    observer.observe(view);
    return () => observer.disconnect();
  }, []);

  // Zooming keeps the playhead where it was on the screen, or brings it into view.
  const centreOnPlayhead = useEffectEvent(() => {
    const view = scroller.current;
    if (!view || durationSeconds <= 0) return;
    view.scrollLeft = (playhead / durationSeconds) * (track.current?.offsetWidth ?? 0) - contentWidth(view) / 2;
  });
  useLayoutEffect(() => centreOnPlayhead(), [zoom]);

  useLayoutEffect(redraw, [redraw, filledSeconds, zoom, viewWidth]);

  useEffect(() => {
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', redraw);
    return () => scheme.removeEventListener('change', redraw);
  }, [redraw]);

  const timeAt = (clientX: number) => {
    const box = track.current?.getBoundingClientRect();
    if (!box || box.width === 0) return 0;
    return Math.min(durationSeconds, Math.max(0, ((clientX - box.left) / box.width) * durationSeconds));
  };
  const percent = (seconds: number) => `${(seconds / durationSeconds) * 100}%`;
  const onPointerDown = (event: PointerEvent) => {
    if (event.button === 0) onSeek(timeAt(event.clientX));
  };

  return (
    <div className="waveform">
      <div className="waveform__scroller" ref={scroller} onScroll={() => requestAnimationFrame(redraw)}>
        <div className="waveform__track" ref={track} style={{ width: `${zoom * 100}%` }} onPointerDown={onPointerDown}>
          <canvas
            ref={canvas}
            className="waveform__canvas"
            style={{ width: viewWidth || '100%' }}
            role="img"
            aria-label={i18n.t('editor.waveform')}
          />
          <ChapterMarks chapters={chapters} durationSeconds={durationSeconds} />
          <div
            className="waveform__selection"
            style={{ left: percent(selection.start), width: percent(selection.end - selection.start) }}
          >
            {fades && <FadeLines fades={fades} seconds={selection.end - selection.start} />}
          </div>
          <div className="waveform__playhead" style={{ left: percent(playhead) }} />
          <CutHandle
            label={i18n.t('editor.start')}
            edge="start"
            value={selection.start}
            min={0}
            max={selection.end - gap}
            durationSeconds={durationSeconds}
            timeAt={timeAt}
            onChange={(start) => onSelect({ ...selection, start })}
          />
          <CutHandle
            label={i18n.t('editor.end')}
            edge="end"
            value={selection.end}
            min={selection.start + gap}
            max={durationSeconds}
            durationSeconds={durationSeconds}
            timeAt={timeAt}
            onChange={(end) => onSelect({ ...selection, end })}
          />
        </div>
      </div>
    </div>
  );
}
