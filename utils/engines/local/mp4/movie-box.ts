import type { ReadableBlob } from '../blob-window-source';

/** Reading an unfragmented MP4 or QuickTime file's `moov` box in place, without an object per entry. */

export interface Box {
  type: string;
  /** Where its content starts and ends, in the bytes it was found in. */
  start: number;
  end: number;
}

export function boxType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

export function* boxesIn(view: DataView, start: number, end: number): Generator<Box> {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return;
    yield { type: boxType(bytes, at + 4), start: at + header, end: at + size };
    at += size;
  }
}

export function child(view: DataView, parent: Box, type: string): Box | undefined {
  for (const box of boxesIn(view, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

export function path(view: DataView, parent: Box, ...types: string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) box = box && child(view, box, type);
  return box;
}

/** A full box's version, and where its fields start (after version and flags). */
export function fullBox(view: DataView, box: Box): { version: number; at: number } {
  return { version: view.getUint8(box.start), at: box.start + 4 };
}

/** Finds the `moov` box among the file's top-level boxes: null for a fragmented file or none at all. */
export async function readMovieBox(blob: ReadableBlob): Promise<DataView | null> {
  let at = 0;
  while (at + 8 <= blob.size) {
    const header = new DataView(await blob.slice(at, at + 16).arrayBuffer());
    let size = header.getUint32(0);
    if (size === 1 && header.byteLength >= 16) size = Number(header.getBigUint64(8));
    else if (size === 0) size = blob.size - at;
    const type = String.fromCharCode(header.getUint8(4), header.getUint8(5), header.getUint8(6), header.getUint8(7));
    if (size < 8) return null;
    if (type === 'moof') return null;
    if (type === 'moov') return new DataView(await blob.slice(at, at + size).arrayBuffer());
    at += size;
  }
  return null;
}

function trackId(view: DataView, track: Box): number | undefined {
  const header = path(view, track, 'tkhd');
  if (!header) return undefined;
  const { version, at } = fullBox(view, header);
  return view.getUint32(at + (version === 1 ? 16 : 8));
}

function timescaleOf(view: DataView, box: Box): number {
  const { version, at } = fullBox(view, box);
  return view.getUint32(at + (version === 1 ? 16 : 8));
}

/** mediabunny's reading of an edit list: one non-empty edit at rate 1, after any empty ones; null for anything else. */
function editOffset(view: DataView, track: Box, movieTimescale: number, timescale: number): number | null {
  const list = path(view, track, 'edts', 'elst');
  if (!list) return 0;
  const { version, at } = fullBox(view, list);
  const count = view.getUint32(at);
  const entryBytes = version === 1 ? 20 : 12;
  let emptyTicks = 0;
  for (let index = 0; index < count; index++) {
    const entry = at + 4 + index * entryBytes;
    const duration = version === 1 ? Number(view.getBigUint64(entry)) : view.getUint32(entry);
    const mediaTime = version === 1 ? Number(view.getBigInt64(entry + 8)) : view.getInt32(entry + 4);
    const rate = view.getInt32(entry + entryBytes - 4);
    if (mediaTime === -1) {
      emptyTicks += duration;
      continue;
    }
    if (rate !== 0x10000 || index !== count - 1) return null;
    return mediaTime - Math.round((emptyTicks / movieTimescale) * timescale);
  }
  return 0;
}

/** A table of `count` entries of `entryBytes` from `at` would end inside `box`: a damaged count is caught before anything is allocated for it. */
export function fits(box: Box, at: number, count: number, entryBytes: number): boolean {
  return at + count * entryBytes <= box.end;
}

/** stsz read in place: the sample count, and one size for all (`common`) or each sample's from `at`. */
export interface SampleSizes {
  readonly count: number;
  /** 0 when each sample has its own size. */
  readonly common: number;
  readonly at: number;
}

/** The table's sample sizes; null when it has none, or a count its box can't hold. */
export function sampleSizes(view: DataView, table: Box): SampleSizes | null {
  const box = child(view, table, 'stsz');
  if (!box) return null;
  const { at } = fullBox(view, box);
  const common = view.getUint32(at);
  const count = view.getUint32(at + 4);
  if (common === 0 && !fits(box, at + 8, count, 4)) return null;
  return { count, common, at: at + 8 };
}

export function u32s(view: DataView, at: number, count: number): Uint32Array {
  const values = new Uint32Array(count);
  for (let index = 0; index < count; index++) values[index] = view.getUint32(at + index * 4);
  return values;
}

export function chunkOffsets(view: DataView, table: Box): Float64Array | null {
  const narrow = child(view, table, 'stco');
  const wide = narrow ? undefined : child(view, table, 'co64');
  const box = narrow ?? wide;
  if (!box) return null;
  const { at } = fullBox(view, box);
  const count = view.getUint32(at);
  if (!fits(box, at + 4, count, narrow ? 4 : 8)) return null;
  const offsets = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    offsets[index] = narrow ? view.getUint32(at + 4 + index * 4) : Number(view.getBigUint64(at + 4 + index * 8));
  }
  return offsets;
}

/** The stsc table as (first chunk, packets per chunk) pairs, dropping the description index. */
export function packetsPerChunk(view: DataView, box: Box): Uint32Array | null {
  const { at } = fullBox(view, box);
  const count = view.getUint32(at);
  if (!fits(box, at + 4, count, 12)) return null;
  const pairs = new Uint32Array(count * 2);
  for (let index = 0; index < count; index++) {
    pairs[index * 2] = view.getUint32(at + 4 + index * 12);
    pairs[index * 2 + 1] = view.getUint32(at + 8 + index * 12);
  }
  return pairs;
}

/** One track of an unfragmented file: its boxes in the `moov` they were read from, and its timing. */
export interface MovieTrack {
  readonly view: DataView;
  /** The track's `stbl`. */
  readonly table: Box;
  /** Ticks per second of the track's timestamps. */
  readonly timescale: number;
  /** The ticks the edit list cuts from the start, less any empty edit before it; null for an edit list mediabunny reads differently. */
  readonly editOffset: number | null;
}

/** Track `id` (as mediabunny numbers tracks: tkhd's track ID); null when the file is fragmented or has no such track. */
export async function readMovieTrack(blob: ReadableBlob, id: number): Promise<MovieTrack | null> {
  const view = await readMovieBox(blob);
  if (!view) return null;
  const movie: Box = { type: 'moov', start: 8, end: view.byteLength };
  if (child(view, movie, 'mvex')) return null;
  const movieHeader = child(view, movie, 'mvhd');
  if (!movieHeader) return null;
  const movieTimescale = timescaleOf(view, movieHeader);
  for (const track of boxesIn(view, movie.start, movie.end)) {
    if (track.type !== 'trak' || trackId(view, track) !== id) continue;
    const mediaHeader = path(view, track, 'mdia', 'mdhd');
    const table = path(view, track, 'mdia', 'minf', 'stbl');
    if (!mediaHeader || !table) return null;
    const timescale = timescaleOf(view, mediaHeader);
    if (timescale === 0) return null;
    return { view, table, timescale, editOffset: editOffset(view, track, movieTimescale, timescale) };
  }
  return null;
}
