import { z } from 'zod';

/** A fade in at the start of the kept sound and a fade out at its end, in seconds (0: none). */
export const fadesSchema = z.object({
  inSeconds: z.number().min(0).max(3600),
  outSeconds: z.number().min(0).max(3600),
});
export type Fades = z.infer<typeof fadesSchema>;

/** Fades worth applying: `undefined` when both are 0. */
export function activeFades(fades: Fades | undefined): Fades | undefined {
  return fades && (fades.inSeconds > 0 || fades.outSeconds > 0) ? fades : undefined;
}

/** The fades in samples of a sound `totalSamples` long. */
export interface FadeSpan {
  totalSamples: number;
  inSamples: number;
  outSamples: number;
}

export function fadeSpan(fades: Fades, sampleRate: number, totalSamples: number): FadeSpan {
  return {
    totalSamples,
    inSamples: Math.round(fades.inSeconds * sampleRate),
    outSamples: Math.round(fades.outSeconds * sampleRate),
  };
}

/**
 * The gain of sample `index` (0 = the first kept sample): rising linearly from 0 over the fade in,
 * falling linearly to 0 over the fade out, the product of both where they overlap. The first sample
 * of a fade in and the last of a fade out are silent.
 */
export function fadeGain(index: number, span: FadeSpan): number {
  const rising = span.inSamples > 0 && index < span.inSamples ? index / span.inSamples : 1;
  const fromEnd = span.totalSamples - index;
  const falling = span.outSamples > 0 && fromEnd <= span.outSamples ? Math.max(0, fromEnd - 1) / span.outSamples : 1;
  return rising * falling;
}

/** Whether any sample in [first, first + length) lies inside a fade. */
function touchesFade(first: number, length: number, span: FadeSpan): boolean {
  return first < span.inSamples || first + length > span.totalSamples - span.outSamples;
}

/** Multiplies planar samples that start at sample `first` of the kept sound by the fades' gain, in place. */
export function applyFades(planes: Float32Array[], first: number, span: FadeSpan): void {
  const length = planes[0]?.length ?? 0;
  if (!touchesFade(first, length, span)) return;
  for (let i = 0; i < length; i++) {
    const gain = fadeGain(first + i, span);
    if (gain === 1) continue;
    for (const plane of planes) plane[i] = plane[i]! * gain;
  }
}
