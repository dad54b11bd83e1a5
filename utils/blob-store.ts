import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Spill } from './engines/local/blob-writer';

/**
 * Bytes shared by the extension's pages and its background, which runtime messages (JSON) can't carry.
 * A big file is kept in parts (`partCount` of them, under `<key>#<n>`), written before this record.
 */
interface StoredBlob {
  blob?: Blob;
  partCount?: number;
  size: number;
  createdAt: number;
}

/** Big enough that writing parts costs nothing extra. */
const STORED_PART_BYTES = 32 * 1024 * 1024;
/** A file bigger than a part starts with one small enough to be stored in a blink, so its copy shows progress at once; each next one is twice as big. */
const FIRST_STORED_PART_BYTES = 1024 * 1024;
const partKey = (key: string, index: number) => `${key}#${String(index).padStart(6, '0')}`;
const partsOf = (key: string) => IDBKeyRange.bound(`${key}#`, `${key}#\uffff`);

interface BlobDatabase extends DBSchema {
  inputs: { key: string; value: StoredBlob };
  outputs: { key: string; value: StoredBlob };
  /** Parts of outputs being written, keyed `<job>/<n>`, kept on disk rather than in memory. */
  scratch: { key: string; value: Blob };
}

export type BlobStoreName = 'inputs' | 'outputs';

let database: Promise<IDBPDatabase<BlobDatabase>> | undefined;

function db(): Promise<IDBPDatabase<BlobDatabase>> {
  const opening = (database ??= openDB<BlobDatabase>('video-to-mp3', 2, {
    upgrade(upgrading, oldVersion) {
      if (oldVersion < 1) {
        upgrading.createObjectStore('inputs');
        upgrading.createObjectStore('outputs');
      }
      if (oldVersion < 2) upgrading.createObjectStore('scratch');
    },
    terminated: () => forget(opening),
  }));
  return opening;
}

function forget(connection: Promise<IDBPDatabase<BlobDatabase>>): void {
  if (database === connection) database = undefined;
}

/**
 * Runs `use` on the open database. Chromium closes every connection to a database whose disk write
 * failed (a full disk, say); a connection kept from before then only says "The database connection
 * is closing", until its close event, and would refuse every later call, so `use` runs once more on
 * a new connection.
 */
async function withDatabase<T>(use: (database: IDBPDatabase<BlobDatabase>) => Promise<T>): Promise<T> {
  const connection = db();
  try {
    return await use(await connection);
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
    forget(connection);
    return use(await db());
  }
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
  // A connection the browser closed says so (InvalidStateError), whatever room there is.
  if (!(error instanceof DOMException) || error.name === 'InvalidStateError') return false;
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
  await withDatabase((database) =>
    writing(blob.size, () => database.put(store, { blob, size: blob.size, createdAt: Date.now() }, key)),
  );
}

/**
 * Stores a file that may be gigabytes in parts, telling `onStored` how many bytes are stored after
 * each, so the copy can show its progress. The whole is only there (`hasBlob`) once every part is.
 */
export async function putBlobInParts(
  store: BlobStoreName,
  key: string,
  blob: Blob,
  onStored: (bytes: number) => void,
  partBytes = STORED_PART_BYTES,
  firstPartBytes = FIRST_STORED_PART_BYTES,
): Promise<void> {
  let length = Math.min(firstPartBytes, partBytes);
  if (blob.size <= partBytes) {
    await putBlob(store, key, blob);
    onStored(blob.size);
    return;
  }
  await withDatabase(async (database) => {
    let partCount = 0;
    try {
      for (let start = 0; start < blob.size; start += length, length = Math.min(2 * length, partBytes)) {
        const part = blob.slice(start, start + length);
        await writing(part.size, () =>
          database.put(store, { blob: part, size: part.size, createdAt: Date.now() }, partKey(key, partCount++)),
        );
        onStored(Math.min(blob.size, start + length));
      }
      await database.put(store, { partCount, size: blob.size, createdAt: Date.now() }, key);
    } catch (error) {
      await database.delete(store, partsOf(key)).catch(() => undefined);
      throw error;
    }
  });
}

export async function getBlob(store: BlobStoreName, key: string): Promise<Blob | undefined> {
  return withDatabase(async (database) => {
    const stored = await database.get(store, key);
    if (!stored?.partCount) return stored?.blob;
    const parts = await database.getAll(store, partsOf(key));
    if (parts.length !== stored.partCount) return undefined;
    return new Blob(parts.map((part) => part.blob!));
  });
}

export async function hasBlob(store: BlobStoreName, key: string): Promise<boolean> {
  return (await withDatabase((database) => database.getKey(store, key))) !== undefined;
}

export async function deleteBlob(store: BlobStoreName, key: string): Promise<void> {
  await withDatabase(async (database) => {
    const tx = database.transaction(store, 'readwrite');
    await Promise.all([tx.store.delete(key), tx.store.delete(partsOf(key)), tx.done]);
  });
}

/**
 * Deletes the oldest blobs until the store holds at most `capBytes`; `keep` is never evicted.
 * Returns the evicted keys.
 */
export async function evictOldest(store: BlobStoreName, capBytes: number, keep?: string): Promise<string[]> {
  return withDatabase(async (database) => {
    const tx = database.transaction(store, 'readwrite');
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
  });
}

/**
 * Deletes what no job or entry owns any more (a popup closed between storing a file and queuing it,
 * say): every record, parts included, whose key `isOwned` doesn't claim and that was stored before
 * `storedBefore`, so a copy still being made is left alone. Returns the keys it deleted.
 */
export async function sweepUnowned(
  store: BlobStoreName,
  isOwned: (key: string) => boolean,
  storedBefore: number,
): Promise<string[]> {
  return withDatabase(async (database) => {
    const tx = database.transaction(store, 'readwrite');
    const swept: string[] = [];
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      const owner = cursor.key.split('#')[0]!;
      if (isOwned(owner) || cursor.value.createdAt >= storedBefore) continue;
      await cursor.delete();
      swept.push(cursor.key);
    }
    await tx.done;
    return swept;
  });
}

/** Stores each part under `prefix` and hands back the stored copy, which reads from disk; DiskFullError when it can't. */
export function spillTo(prefix: string): Spill {
  let count = 0;
  return async (part) => {
    const key = `${prefix}/${count++}`;
    return withDatabase(async (database) => {
      await writing(part.size, () => database.put('scratch', part, key));
      const stored = await database.get('scratch', key);
      if (!stored) throw new Error(`scratch part ${key} was not kept`);
      return stored;
    });
  };
}

/** Deletes the parts under `prefix`, or every part when there is none (nothing is being written then). */
export async function deleteScratch(prefix?: string): Promise<void> {
  await withDatabase((database) =>
    prefix === undefined
      ? database.clear('scratch')
      : database.delete('scratch', IDBKeyRange.bound(`${prefix}/`, `${prefix}/\uffff`)),
  );
}

/**
 * Keeps one more part of an input that is still being made (a live recording), under the parts' keys
 * `getBlob` reads: what is stored so far survives a closed document or browser, and `sealParts` makes it
 * the whole.
 */
export async function putPart(store: BlobStoreName, key: string, index: number, part: Blob): Promise<void> {
  const database = await db();
  await writing(part.size, () =>
    database.put(store, { blob: part, size: part.size, createdAt: Date.now() }, partKey(key, index)),
  );
}

/** How many parts of `key` are stored with no whole yet: an input cut off while it was made. */
export async function unsealedPartCount(store: BlobStoreName, key: string): Promise<number> {
  const database = await db();
  if (await database.getKey(store, key)) return 0;
  return database.count(store, partsOf(key));
}

/** Makes the parts stored so far (the first `partCount` of them, in order) the whole of `key`, and returns it. */
export async function sealParts(store: BlobStoreName, key: string): Promise<Blob | undefined> {
  const database = await db();
  const parts = await database.getAll(store, partsOf(key));
  if (parts.length === 0) return undefined;
  const size = parts.reduce((sum, part) => sum + part.size, 0);
  await database.put(store, { partCount: parts.length, size, createdAt: Date.now() }, key);
  return getBlob(store, key);
}
