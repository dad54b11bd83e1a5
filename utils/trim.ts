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
