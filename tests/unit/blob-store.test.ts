import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { forceCloseDatabase } from 'fake-indexeddb';
import {
  deleteBlob,
  deleteScratch,
  DiskFullError,
  evictOldest,
  getBlob,
  hasBlob,
  putBlob,
  putBlobInParts,
  spillTo,
  sweepUnowned,
} from '../../utils/blob-store';

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
    await deleteBlob('inputs', 'clip');
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

/** Bytes whose every position is distinct enough that a part out of order or missing shows. */
const numberedBlob = (bytes: number) => new Blob([Uint32Array.from({ length: bytes / 4 }, (_, index) => index)]);
const storedKeys = async (prefix: string) =>
  (await (await openDB('video-to-mp3')).getAllKeys('inputs')).map(String).filter((key) => key.startsWith(prefix));
/** Small parts, so the tables run in memory; the real ones are 32 MB. */
const PART = 4096;

describe('putBlobInParts', () => {
  it.each([
    { name: 'an empty file', bytes: 0, reports: [0] },
    { name: 'a file smaller than a part, in one write', bytes: 1024, reports: [1024] },
    { name: 'a file of exactly one part', bytes: PART, reports: [PART] },
    { name: 'a file of two parts and a bit', bytes: 2 * PART + 4096, reports: [PART, 2 * PART, 2 * PART + 4096] },
  ])(
    'stores $name, reporting the bytes stored after each part, and reads it back whole',
    async ({ bytes, reports }) => {
      const file = numberedBlob(bytes);
      const reported: number[] = [];
      await putBlobInParts('inputs', 'big', file, (stored) => reported.push(stored), PART);
      expect(reported).toEqual(reports);
      const stored = await getBlob('inputs', 'big');
      expect(stored?.size).toBe(bytes);
      expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(await file.arrayBuffer()));
      await deleteBlob('inputs', 'big');
      expect(await storedKeys('big')).toEqual([]);
    },
  );

  it('starts with a small part that doubles up to a whole one, so the first progress comes soon', async () => {
    const file = numberedBlob(7 * PART + 100);
    const reported: number[] = [];
    await putBlobInParts('inputs', 'growing', file, (stored) => reported.push(stored), 4 * PART, PART);
    expect(reported).toEqual([PART, 3 * PART, 7 * PART, 7 * PART + 100]);
    const stored = await getBlob('inputs', 'growing');
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(await file.arrayBuffer()));
    await deleteBlob('inputs', 'growing');
  });

  it('is not there until its last part is, and leaves no part behind when a write fails', async () => {
    const file = numberedBlob(3 * PART);
    let seenBeforeTheEnd: boolean | undefined;
    await putBlobInParts(
      'inputs',
      'whole',
      file,
      () => {
        void hasBlob('inputs', 'whole').then((seen) => (seenBeforeTheEnd ??= seen));
      },
      PART,
    );
    expect(seenBeforeTheEnd).toBe(false);
    await deleteBlob('inputs', 'whole');

    const failing = vi.spyOn(IDBObjectStore.prototype, 'put');
    failing.mockImplementationOnce(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      return IDBObjectStore.prototype.put.call(this, ...args);
    });
    failing.mockImplementationOnce(() => {
      throw new DOMException('no room', 'QuotaExceededError');
    });
    await expect(putBlobInParts('inputs', 'broken', file, () => {}, PART)).rejects.toBeInstanceOf(DiskFullError);
    failing.mockRestore();
    expect(await hasBlob('inputs', 'broken')).toBe(false);
    expect(await storedKeys('broken')).toEqual([]);
  });
});

describe('sweepUnowned', () => {
  it('deletes what nobody owns that is older than the cut-off, parts and all, and keeps the rest', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000);
    await putBlob('inputs', 'owned', new Blob(['a']));
    await putBlob('inputs', 'orphan', new Blob(['b']));
    await putBlobInParts('inputs', 'orphan-parts', numberedBlob(PART + 4), () => {}, PART);
    vi.setSystemTime(5_000);
    await putBlob('inputs', 'being-queued', new Blob(['c']));
    vi.useRealTimers();

    const swept = await sweepUnowned('inputs', (key) => key === 'owned', 2_000);
    expect(swept.sort()).toEqual(['orphan', 'orphan-parts', 'orphan-parts#000000', 'orphan-parts#000001']);
    expect((await storedKeys('')).sort()).toEqual(['being-queued', 'owned']);
    for (const key of ['owned', 'being-queued']) await deleteBlob('inputs', key);
  });
});

describe('a connection the browser closed', () => {
  // Chromium closes every connection to a database whose write failed (a full disk, say).
  async function freshStoreWithItsConnections() {
    vi.resetModules();
    const connections: IDBDatabase[] = [];
    const open = indexedDB.open.bind(indexedDB);
    vi.spyOn(indexedDB, 'open').mockImplementation((...args: Parameters<typeof indexedDB.open>) => {
      const request = open(...args);
      request.addEventListener('success', () => connections.push(request.result));
      return request;
    });
    const blobStore = await import('../../utils/blob-store');
    await blobStore.putBlob('inputs', 'kept', blobOf(1));
    return { blobStore, connections };
  }
  afterEach(() => vi.restoreAllMocks());

  it.each([
    { when: 'before its close event', awaitClose: false },
    { when: 'after its close event', awaitClose: true },
  ])('is replaced by a new one $when, and no call fails', async ({ awaitClose }) => {
    const { blobStore, connections } = await freshStoreWithItsConnections();
    const closed = new Promise((resolve) => connections[0]!.addEventListener('close', resolve));
    forceCloseDatabase(connections[0] as never);
    if (awaitClose) await closed;

    expect(await blobStore.hasBlob('inputs', 'kept')).toBe(true);
    await blobStore.putBlob('inputs', 'new', blobOf(1));
    expect((await blobStore.getBlob('inputs', 'new'))?.size).toBe(MB);
    await blobStore.deleteBlob('inputs', 'new');
    expect(await blobStore.hasBlob('inputs', 'new')).toBe(false);
    expect(connections).toHaveLength(2);
  });
});
