import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Spill } from './engines/local/blob-writer';

/** Bytes shared by the extension's pages and its background, which runtime messages (JSON) can't carry. */
interface StoredBlob {
  blob: Blob;
  size: number;
  createdAt: number;
}

interface BlobDatabase extends DBSchema {
  inputs: { key: string; value: StoredBlob };
  outputs: { key: string; value: StoredBlob };
  /** Parts of outputs being written, keyed `<job>/<n>`, kept on disk rather than in memory. */
  scratch: { key: string; value: Blob };
}

export type BlobStoreName = 'inputs' | 'outputs';

let database: Promise<IDBPDatabase<BlobDatabase>> | undefined;

function db(): Promise<IDBPDatabase<BlobDatabase>> {
  database ??= openDB<BlobDatabase>('video-to-mp3', 2, {
    upgrade(upgrading, oldVersion) {
      if (oldVersion < 1) {
        upgrading.createObjectStore('inputs');
        upgrading.createObjectStore('outputs');
      }
      if (oldVersion < 2) upgrading.createObjectStore('scratch');
    },
  });
  return database;
}

/** IndexedDB refused to store a blob because the disk has no room left for it. */
export class DiskFullError extends Error {
  constructor(cause: unknown) {
    super('The disk has no room for this blob', { cause });
    this.name = 'DiskFullError';
  }
}

/**
 * Whether a write of `bytes` failed for want of room. With unlimitedStorage only a full disk stops
 * a write, and Chromium then says "DataError: Failed to write blobs (IOError)", words that may change;
 * the room its estimate reports left (usage + free disk space) says it for sure.
 */
async function failedForWantOfRoom(error: unknown, bytes: number): Promise<boolean> {
  if (!(error instanceof DOMException)) return false;
  if (error.name === 'QuotaExceededError') return true;
  const room = await roomLeft();
  return room !== undefined && room < bytes;
}

/** Bytes this origin may still store, as the browser estimates them; undefined where it can't say. */
async function roomLeft(): Promise<number | undefined> {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    return quota === undefined || usage === undefined ? undefined : quota - usage;
  } catch {
    return undefined;
  }
}

/** Runs a write of `bytes`; one that failed because the disk is full throws DiskFullError. */
async function writing<T>(bytes: number, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (await failedForWantOfRoom(error, bytes)) throw new DiskFullError(error);
    throw error;
  }
}

/** Throws DiskFullError when the disk has no room for `blob`. */
export async function putBlob(store: BlobStoreName, key: string, blob: Blob): Promise<void> {
  const database = await db();
  await writing(blob.size, () => database.put(store, { blob, size: blob.size, createdAt: Date.now() }, key));
}

export async function getBlob(store: BlobStoreName, key: string): Promise<Blob | undefined> {
  return (await (await db()).get(store, key))?.blob;
}

export async function hasBlob(store: BlobStoreName, key: string): Promise<boolean> {
  return (await (await db()).getKey(store, key)) !== undefined;
}

export async function deleteBlob(store: BlobStoreName, key: string): Promise<void> {
  await (await db()).delete(store, key);
}

/**
 * Deletes the oldest blobs until the store holds at most `capBytes`; `keep` is never evicted.
 * Returns the evicted keys.
 */
export async function evictOldest(store: BlobStoreName, capBytes: number, keep?: string): Promise<string[]> {
  const tx = (await db()).transaction(store, 'readwrite');
  const entries: { key: string; size: number; createdAt: number }[] = [];
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    entries.push({ key: cursor.key, size: cursor.value.size, createdAt: cursor.value.createdAt });
  }
  let total = entries.reduce((sum, entry) => sum + entry.size, 0);
  const evicted: string[] = [];
  for (const entry of entries.sort((a, b) => a.createdAt - b.createdAt)) {
    if (total <= capBytes) break;
    if (entry.key === keep) continue;
    await tx.store.delete(entry.key);
    total -= entry.size;
    evicted.push(entry.key);
  }
  await tx.done;
  return evicted;
}

/** Stores each part under `prefix` and hands back the stored copy, which reads from disk; DiskFullError when it can't. */
export function spillTo(prefix: string): Spill {
  let count = 0;
  return async (part) => {
    const key = `${prefix}/${count++}`;
    const store = await db();
    await writing(part.size, () => store.put('scratch', part, key));
    const stored = await store.get('scratch', key);
    if (!stored) throw new Error(`scratch part ${key} was not kept`);
    return stored;
  };
}

/** Deletes the parts under `prefix`, or every part when there is none (nothing is being written then). */
export async function deleteScratch(prefix?: string): Promise<void> {
  const store = await db();
  if (prefix === undefined) await store.clear('scratch');
  else await store.delete('scratch', IDBKeyRange.bound(`${prefix}/`, `${prefix}/\uffff`));
}
