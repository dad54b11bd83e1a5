import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { deleteBlob, deleteScratch, DiskFullError, evictOldest, getBlob, hasBlob, putBlob, spillTo } from '../../utils/blob-store';

const MB = 1024 * 1024;
const blobOf = (megabytes: number) => new Blob([new Uint8Array(megabytes * MB)]);
const scratchKeys = async () => (await openDB('video-to-mp3')).getAllKeys('scratch');

describe('evictOldest', () => {
  beforeEach(async () => {
    for (const key of ['a', 'b', 'c', 'd']) await deleteBlob('outputs', key);
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) {
      vi.setSystemTime(1_000 + index);
      await putBlob('outputs', key, blobOf(1));
    }
    vi.useRealTimers();
  });

  it.each([
    { cap: 4 * MB, keep: undefined, evicted: [] },
    { cap: 3 * MB, keep: undefined, evicted: ['a'] },
    { cap: 2 * MB, keep: undefined, evicted: ['a', 'b'] },
    { cap: 2 * MB, keep: 'a', evicted: ['b', 'c'] },
    { cap: 0, keep: 'd', evicted: ['a', 'b', 'c'] },
  ])('keeps at most $cap bytes, oldest out first (kept: $keep)', async ({ cap, keep, evicted }) => {
    expect(await evictOldest('outputs', cap, keep)).toEqual(evicted);
    for (const key of ['a', 'b', 'c', 'd']) expect(await hasBlob('outputs', key)).toBe(!evicted.includes(key));
  });

  it('returns the stored bytes unchanged', async () => {
    await putBlob('inputs', 'clip', new Blob(['hello']));
    expect(await (await getBlob('inputs', 'clip'))?.text()).toBe('hello');
    expect(await getBlob('inputs', 'missing')).toBeUndefined();
  });
});

describe('scratch parts', () => {
  it('keeps spilled parts with their bytes, and deletes one job’s parts or all of them', async () => {
    const spill = spillTo('job-a');
    const stored = await spill(new Blob(['hello ']));
    expect(await stored.text()).toBe('hello ');
    await spillTo('job-b')(new Blob(['other']));
    await spill(new Blob(['world']));
    await deleteScratch('job-a');
    expect(await scratchKeys()).toEqual(['job-b/0']);
    await deleteScratch();
    expect(await scratchKeys()).toEqual([]);
  });
});

describe('a write the disk has no room for', () => {
  /** IndexedDB refuses every write with `refusal`; the browser estimates `room` bytes left. */
  function refuseWrites(refusal: DOMException, room: number) {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw refusal;
    });
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ quota: 100 * MB + room, usage: 100 * MB }) } });
  }
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  // What Chromium says when the disk fills up while it writes a blob.
  const chromiumDiskFull = new DOMException('Failed to write blobs (IOError)', 'DataError');

  it('throws DiskFullError from putBlob when the failed write needs more room than is left', async () => {
    refuseWrites(chromiumDiskFull, 1 * MB);
    await expect(putBlob('inputs', 'big', blobOf(5))).rejects.toBeInstanceOf(DiskFullError);
  });

  it('throws DiskFullError from a scratch spill', async () => {
    refuseWrites(chromiumDiskFull, 1 * MB);
    await expect(spillTo('job-full')(blobOf(4))).rejects.toBeInstanceOf(DiskFullError);
  });

  it('takes QuotaExceededError for a full disk whatever the estimate says', async () => {
    refuseWrites(new DOMException('quota', 'QuotaExceededError'), 1000 * MB);
    await expect(putBlob('outputs', 'mp3', blobOf(1))).rejects.toBeInstanceOf(DiskFullError);
  });

  it('passes other failures on as they are when there is room', async () => {
    refuseWrites(chromiumDiskFull, 1000 * MB);
    await expect(putBlob('inputs', 'big', blobOf(5))).rejects.toBe(chromiumDiskFull);
  });
});
