import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  MAX_HISTORY_ENTRIES,
  addHistoryEntry,
  historyItem,
  markNotStored,
  readHistory,
  setDownloadId,
  type HistoryEntry,
} from '@/utils/jobs/history';

function entry(id: string, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    fileName: `${id}.mp3`,
    sourceName: `${id}.mp4`,
    size: 1000,
    durationSeconds: 60,
    completedAt: 1,
    stored: true,
    ...overrides,
  };
}

const ids = async () => (await readHistory()).map((item) => item.id);

beforeEach(() => {
  fakeBrowser.reset();
});

describe('addHistoryEntry', () => {
  it.each([
    [['a'], ['a']],
    [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
    ],
    [
      ['a', 'b', 'a'],
      ['a', 'b'],
    ],
    [
      ['a', 'b', 'c', 'b'],
      ['b', 'c', 'a'],
    ],
  ])('adding %j gives newest first: %j', async (added, expected) => {
    for (const id of added) await addHistoryEntry(entry(id));
    expect(await ids()).toEqual(expected);
  });

  it('replaces an entry with the same id instead of keeping both', async () => {
    await addHistoryEntry(entry('a', { size: 1 }));
    await addHistoryEntry(entry('b'));
    await addHistoryEntry(entry('a', { size: 2, stored: false }));
    expect(await readHistory()).toEqual([entry('a', { size: 2, stored: false }), entry('b')]);
  });

  it.each([
    [MAX_HISTORY_ENTRIES - 1, MAX_HISTORY_ENTRIES - 1],
    [MAX_HISTORY_ENTRIES, MAX_HISTORY_ENTRIES],
    [MAX_HISTORY_ENTRIES + 1, MAX_HISTORY_ENTRIES],
    [MAX_HISTORY_ENTRIES + 5, MAX_HISTORY_ENTRIES],
  ])('after %i additions keeps the newest %i', async (added, kept) => {
    for (let index = 0; index < added; index++) await addHistoryEntry(entry(`e${index}`));
    const stored = await historyItem.getValue();
    expect(stored).toHaveLength(kept);
    expect(stored[0]?.id).toBe(`e${added - 1}`);
    expect(stored.at(-1)?.id).toBe(`e${added - kept}`);
  });

  it('keeps every entry added concurrently', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, index) => addHistoryEntry(entry(`e${index}`))));
    expect(new Set(await ids())).toEqual(new Set(Array.from({ length: 20 }, (_, index) => `e${index}`)));
  });
});

describe('markNotStored', () => {
  it.each([
    [['b'], [true, false, true]],
    [
      ['a', 'c'],
      [false, true, false],
    ],
    [['missing'], [true, true, true]],
    [[], [true, true, true]],
  ])('marking %j leaves stored flags %j and the order unchanged', async (marked, expected) => {
    for (const id of ['c', 'b', 'a']) await addHistoryEntry(entry(id));
    await markNotStored(marked);
    const history = await readHistory();
    expect(history.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(history.map((item) => item.stored)).toEqual(expected);
  });
});

describe('setDownloadId', () => {
  it.each([
    ['b', [undefined, 42, undefined]],
    ['a', [42, undefined, undefined]],
    ['missing', [undefined, undefined, undefined]],
  ])('setting the download id of %j', async (id, expected) => {
    for (const item of ['c', 'b', 'a']) await addHistoryEntry(entry(item));
    await setDownloadId(id, 42);
    const history = await readHistory();
    expect(history.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(history.map((item) => item.downloadId)).toEqual(expected);
  });

  it('replaces an existing download id', async () => {
    await addHistoryEntry(entry('a', { downloadId: 1 }));
    await setDownloadId('a', 2);
    expect(await readHistory()).toEqual([entry('a', { downloadId: 2 })]);
  });
});
