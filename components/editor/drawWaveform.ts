import type { PeakTable } from '@/utils/engines/local/waveform/peaks';
import { formatTime } from '@/utils/trim';

const RULER_HEIGHT = 18;
/** Ticks at least this far apart, so their labels don't touch. */
const MIN_TICK_PX = 72;
const TICK_STEPS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

function color(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || 'gray';
}

/** The time ruler along the top: a tick and a time every step. */
function drawRuler(context: CanvasRenderingContext2D, canvas: HTMLCanvasElement, from: number, to: number): void {
  const width = canvas.clientWidth;
  const pxPerSecond = width / (to - from);
  const step = TICK_STEPS.find((candidate) => candidate * pxPerSecond >= MIN_TICK_PX) ?? 7200;
  context.fillStyle = color(canvas, '--muted');
  context.font = '11px system-ui, sans-serif';
  context.textBaseline = 'top';
  for (let tick = Math.ceil(from / step) * step; tick <= to; tick += step) {
    const x = Math.round((tick - from) * pxPerSecond) + 0.5;
    context.fillRect(x, RULER_HEIGHT - 6, 1, 6);
    context.fillText(formatTime(tick), x + 3, 2);
  }
  context.fillStyle = color(canvas, '--line');
  context.fillRect(0, RULER_HEIGHT - 1, width, 1);
}

/** Draws [from, to) seconds of the waveform across the canvas, with the ruler; what isn't read yet stays empty. */
export function drawWaveform(canvas: HTMLCanvasElement, table: PeakTable | undefined, from: number, to: number): void {
  const width = Math.max(1, Math.round(canvas.clientWidth));
  const height = canvas.clientHeight;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context || to <= from) return;
  context.scale(ratio, ratio);
  drawRuler(context, canvas, from, to);
  if (!table) return;
  const top = RULER_HEIGHT + 4;
  const half = (height - top - 4) / 2;
  const middle = top + half;
  const { min, max } = table.columns(from, to, width);
  context.fillStyle = color(canvas, '--accent');
  for (let x = 0; x < width; x++) {
    const high = max[x]!;
    const low = min[x]!;
    if (Number.isNaN(high)) continue;
    const y = middle - Math.min(1, high) * half;
    const bottom = middle - Math.max(-1, low) * half;
    context.fillRect(x, y, 1, Math.max(1, bottom - y));
  }
}
