import type { ReadableBlob } from '../blob-window-source';

/**
 * Where an unfragmented MP4 or QuickTime file keeps one sound track's packets, read from its `moov`
 * box into typed arrays: no object per packet, however long the file.
 *
 * mediabunny keeps an object or two per packet of a track's sample table (and of the video's, for a
 * cover), which for an hour and a half of video is hundreds of thousands of objects.
 */
export interface SoundTable {
  /** Ticks per second of the track's timestamps. */
  readonly timescale: number;
  /** The ticks the edit list cuts from the start (an encoder's priming), less any empty edit before it. */
  readonly editOffset: number;
  readonly sampleCount: number;
  /** Each packet's size, or one size for all. */
  readonly sizes: Uint32Array | number;
  readonly chunkOffsets: Float64Array;
  /** stsc: (first chunk, 1-based; packets per chunk) pairs. */
  readonly packetsPerChunk: Uint32Array;
  /** stts: (count, duration in ticks) pairs. */
  readonly durations: Uint32Array;
}

/** One packet, as the table's cursor visits it: reused from packet to packet. */
export interface SoundPacket {
  index: number;
  offset: number;
  size: number;
  /** Ticks from the track's start, before the edit. */
  decodeTime: number;
  duration: number;
}

interface Box {
  type: string;
  /** Where its content starts and ends, in the bytes it was found in. */
  start: number;
  end: number;
}

function boxType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function* boxesIn(view: DataView, start: number, end: number): Generator<Box> {
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

function child(view: DataView, parent: Box, type: string): Box | undefined {
  for (const box of boxesIn(view, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

function path(view: DataView, parent: Box, ...types: string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) box = box && child(view, box, type);
  return box;
}

/** A full box's version, and where its fields start (after version and flags). */
function fullBox(view: DataView, box: Box): { version: number; at: number } {
  return { version: view.getUint8(box.start), at: box.start + 4 };
}

/** Finds the `moov` box among the file's top-level boxes: null for a fragmented file or none at all. */
async function readMovieBox(blob: ReadableBlob): Promise<DataView | null> {
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
function fits(box: Box, at: number, count: number, entryBytes: number): boolean {
  return at + count * entryBytes <= box.end;
}

function u32s(view: DataView, at: number, count: number): Uint32Array {
  const values = new Uint32Array(count);
  for (let index = 0; index < count; index++) values[index] = view.getUint32(at + index * 4);
  return values;
}

function chunkOffsets(view: DataView, table: Box): Float64Array | null {
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
function packetsPerChunk(view: DataView, box: Box): Uint32Array | null {
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

/** The track's one sample description is `mp4a` (MPEG audio: AAC, or MP3), unencrypted. */
function describesMpegAudio(view: DataView, table: Box): boolean {
  const descriptions = child(view, table, 'stsd');
  if (!descriptions) return false;
  const { at } = fullBox(view, descriptions);
  if (view.getUint32(at) !== 1) return false;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return boxType(bytes, at + 8) === 'mp4a';
}

/**
 * The table of track `id` (as mediabunny numbers tracks: tkhd's track ID) when it is MPEG audio in
 * an unfragmented file and its timing is plain: null when mediabunny's own reading should be used.
 * Which codec it is (and whether WebCodecs decodes it) is the track's to say, not the table's.
 */
export async function readSoundTable(blob: ReadableBlob, id: number): Promise<SoundTable | null> {
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
    if (!mediaHeader || !table || !describesMpegAudio(view, table) || child(view, table, 'ctts')) return null;
    const timescale = timescaleOf(view, mediaHeader);
    const offset = editOffset(view, track, movieTimescale, timescale);
    const sizeBox = child(view, table, 'stsz');
    const chunkBox = child(view, table, 'stsc');
    const timeBox = child(view, table, 'stts');
    const offsets = chunkOffsets(view, table);
    const runs = chunkBox && packetsPerChunk(view, chunkBox);
    if (offset === null || !sizeBox || !runs || !timeBox || !offsets || timescale === 0) return null;
    const sizes = fullBox(view, sizeBox).at;
    const commonSize = view.getUint32(sizes);
    const sampleCount = view.getUint32(sizes + 4);
    const timing = fullBox(view, timeBox).at;
    const timingEntries = view.getUint32(timing);
    if ((commonSize === 0 && !fits(sizeBox, sizes + 8, sampleCount, 4)) || !fits(timeBox, timing + 4, timingEntries, 8)) return null;
    return {
      timescale,
      editOffset: offset,
      sampleCount,
      sizes: commonSize !== 0 ? commonSize : u32s(view, sizes + 8, sampleCount),
      chunkOffsets: offsets,
      packetsPerChunk: runs,
      durations: u32s(view, timing + 4, timingEntries * 2),
    };
  }
  return null;
}

/** The track's length in seconds as mediabunny gives it: the end of its last packet, on the edited timeline. */
export function soundTableDuration(table: SoundTable): number {
  let ticks = 0;
  for (let entry = 0; entry < table.durations.length; entry += 2) ticks += table.durations[entry]! * table.durations[entry + 1]!;
  return (ticks - table.editOffset) / table.timescale;
}

/**
 * The packets in decode order, each in the same reused object (read it before asking for the next).
 * Throws if the table's parts disagree on how many packets there are.
 */
export function* soundPackets(table: SoundTable): Generator<SoundPacket> {
  const packet: SoundPacket = { index: 0, offset: 0, size: 0, decodeTime: 0, duration: 0 };
  const { chunkOffsets: offsets, packetsPerChunk: runs, durations } = table;
  let timingEntry = 0;
  let timingLeft = durations[0] ?? 0;
  let decodeTime = 0;
  let index = 0;
  for (let run = 0; run < runs.length; run += 2) {
    const firstChunk = runs[run]! - 1;
    const endChunk = run + 2 < runs.length ? runs[run + 2]! - 1 : offsets.length;
    const perChunk = runs[run + 1]!;
    for (let chunk = firstChunk; chunk < endChunk && chunk < offsets.length; chunk++) {
      let offset = offsets[chunk]!;
      for (let inChunk = 0; inChunk < perChunk; inChunk++) {
        if (index >= table.sampleCount) throw new Error('The sample table lists more packets than it has sizes for.');
        while (timingLeft === 0) {
          timingEntry += 2;
          if (timingEntry >= durations.length) throw new Error('The sample table times fewer packets than it has.');
          timingLeft = durations[timingEntry]!;
        }
        const size = typeof table.sizes === 'number' ? table.sizes : table.sizes[index]!;
        const duration = durations[timingEntry + 1]!;
        packet.index = index;
        packet.offset = offset;
        packet.size = size;
        packet.decodeTime = decodeTime;
        packet.duration = duration;
        yield packet;
        offset += size;
        decodeTime += duration;
        timingLeft--;
        index++;
      }
    }
  }
  if (index !== table.sampleCount) throw new Error('The sample table places fewer packets than it has sizes for.');
}
