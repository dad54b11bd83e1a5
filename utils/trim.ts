import { z } from 'zod';

/** A part of the sound to keep, in seconds from the start; either end may be open. */
export const trimSchema = z
  .object({ startSeconds: z.number().min(0).optional(), endSeconds: z.number().positive().optional() })
  .refine(
    (trim) => trim.startSeconds === undefined || trim.endSeconds === undefined || trim.endSeconds > trim.startSeconds,
    {
      message: 'The end must come after the start.',
    },
  );
export type Trim = z.infer<typeof trimSchema>;

const TIME = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:[.,]\d{1,3})?)$/;

/**
 * A time as people type it: `83.5`, `1:23.5`, `1:02:03.250` (a comma works as the decimal point too).
 * `undefined` when blank, `null` when it isn't a time.
 */
export function parseTime(text: string): number | undefined | null {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const match = TIME.exec(trimmed);
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  const value = Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds!.replace(',', '.'));
  if (minutes !== undefined && Number(seconds!.replace(',', '.')) >= 60) return null;
  if (hours !== undefined && Number(minutes) >= 60) return null;
  return value;
}

/** Seconds as `parseTime` reads them, to the millisecond: `83.5` → `1:23.5`, `3723` → `1:02:03`. */
export function formatTime(seconds: number): string {
  const milliseconds = Math.max(0, Math.round(seconds * 1000));
  const hours = Math.floor(milliseconds / 3_600_000);
  const minutes = Math.floor((milliseconds % 3_600_000) / 60_000);
  const secondsText = ((milliseconds % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  const paddedSeconds = /^\d\b/.test(secondsText) ? `0${secondsText}` : secondsText;
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${paddedSeconds}` : `${minutes}:${paddedSeconds}`;
}
