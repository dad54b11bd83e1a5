import type { KeyboardEvent, PointerEvent } from 'react';
import { formatTime } from '@/utils/trim';

/** Times in the editor are kept to the millisecond, so keyboard steps land on round values. */
export const toMilliseconds = (seconds: number) => Math.round(seconds * 1000) / 1000;

const KEY_STEPS: Record<string, number> = {
  ArrowRight: 0.1,
  ArrowUp: 0.1,
  ArrowLeft: -0.1,
  ArrowDown: -0.1,
  PageUp: 1,
  PageDown: -1,
};

/**
 * One end of the selection on the waveform: a slider (seconds in `aria-valuenow`) dragged with the
 * mouse, or moved by the keyboard (arrows 0.1 s, Page Up / Page Down 1 s, Home / End to its limits).
 */
export function CutHandle({
  label,
  edge,
  value,
  min,
  max,
  durationSeconds,
  timeAt,
  onChange,
}: {
  label: string;
  edge: 'start' | 'end';
  value: number;
  min: number;
  max: number;
  durationSeconds: number;
  /** The time under a point of the screen. */
  timeAt: (clientX: number) => number;
  onChange: (seconds: number) => void;
}) {
  const move = (seconds: number) => onChange(toMilliseconds(Math.min(max, Math.max(min, seconds))));
  const onKeyDown = (event: KeyboardEvent) => {
    const step = KEY_STEPS[event.key];
    if (step !== undefined) move(value + step);
    else if (event.key === 'Home') move(min);
    else if (event.key === 'End') move(max);
    else return;
    event.preventDefault();
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.preventDefault();
    event.currentTarget.focus();
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (event.currentTarget.hasPointerCapture(event.pointerId)) move(timeAt(event.clientX));
  };

  return (
    <div
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-valuemin={toMilliseconds(min)}
      aria-valuemax={toMilliseconds(max)}
      aria-valuenow={value}
      aria-valuetext={formatTime(value)}
      aria-orientation="horizontal"
      className={`cut-handle cut-handle--${edge}`}
      style={{ left: `${(value / durationSeconds) * 100}%` }}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
    />
  );
}
