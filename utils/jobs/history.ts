import { z } from 'zod';
import { storage } from 'wxt/utils/storage';
import { oneAtATime } from '../one-at-a-time';

const historyEntrySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  sourceName: z.string(),
  size: z.number(),
  durationSeconds: z.number(),
  completedAt: z.number(),
  downloadId: z.number().optional(),
  /** Whether the MP3 is still kept in extension storage for "Download again". */
  stored: z.boolean(),
  /** The original sound's codec that had no container here, so this file is an MP3 (the Format was `original`). */
  originalNotKept: z.string().optional(),
  /** A live recording that was cut off before it ended: the MP3 has what was recorded. */
  stoppedEarly: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const MAX_HISTORY_ENTRIES = 200;
/** How much MP3 data "Download again" keeps; the oldest MP3s go first, their entries stay. */
export const STORED_OUTPUT_CAP_BYTES = 256 * 1024 * 1024;

/** Completed downloads, newest first. */
export const historyItem = storage.defineItem<HistoryEntry[]>('local:history', { fallback: [] });

/** The stored entries; one that can't be read is dropped, the others are kept. */
export async function readHistory(): Promise<HistoryEntry[]> {
  const raw = await historyItem.getValue();
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = historyEntrySchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

const exclusive = oneAtATime();

function mutateHistory<T>(change: (entries: HistoryEntry[]) => { entries: HistoryEntry[]; result: T }): Promise<T> {
  return exclusive(async () => {
    const { entries, result } = change(await readHistory());
    await historyItem.setValue(entries.slice(0, MAX_HISTORY_ENTRIES));
    return result;
  });
}

export function addHistoryEntry(entry: HistoryEntry): Promise<void> {
  return mutateHistory((entries) => ({
    entries: [entry, ...entries.filter((existing) => existing.id !== entry.id)],
    result: undefined,
  }));
}

export function markNotStored(ids: readonly string[]): Promise<void> {
  return mutateHistory((entries) => ({
    entries: entries.map((entry) => (ids.includes(entry.id) ? { ...entry, stored: false } : entry)),
    result: undefined,
  }));
}

export function setDownloadId(id: string, downloadId: number): Promise<void> {
  return mutateHistory((entries) => ({
    entries: entries.map((entry) => (entry.id === id ? { ...entry, downloadId } : entry)),
    result: undefined,
  }));
}
