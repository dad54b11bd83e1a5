import type { ReadableBlob } from '../blob-window-source';
import {
  boxType,
  child,
  chunkOffsets,
  fits,
  fullBox,
  packetsPerChunk,
  readMovieTrack,
  sampleSizes,
  u32s,
  type Box,
  type MovieTrack,
} from './movie-box';

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
  const track = await readMovieTrack(blob, id);
  if (!track || !describesMpegAudio(track.view, track.table)) return null;
  return sampleTableOf(track);
}

/** A track's sample table, whatever its samples are; null when its timing isn't plain or its parts don't fit. */
export function sampleTableOf(track: MovieTrack): SoundTable | null {
  const { view, table, timescale, editOffset } = track;
  if (editOffset === null || child(view, table, 'ctts')) return null;
  const sizes = sampleSizes(view, table);
  const chunkBox = child(view, table, 'stsc');
  const timeBox = child(view, table, 'stts');
  const offsets = chunkOffsets(view, table);
  const runs = chunkBox && packetsPerChunk(view, chunkBox);
  if (!sizes || !runs || !timeBox || !offsets) return null;
  const timing = fullBox(view, timeBox).at;
  const timingEntries = view.getUint32(timing);
  if (!fits(timeBox, timing + 4, timingEntries, 8)) return null;
  return {
    timescale,
    editOffset,
    sampleCount: sizes.count,
    sizes: sizes.common !== 0 ? sizes.common : u32s(view, sizes.at, sizes.count),
    chunkOffsets: offsets,
    packetsPerChunk: runs,
    durations: u32s(view, timing + 4, timingEntries * 2),
  };
}

/** The track's length in seconds as mediabunny gives it: the end of its last packet, on the edited timeline. */
export function soundTableDuration(table: SoundTable): number {
  let ticks = 0;
  for (let entry = 0; entry < table.durations.length; entry += 2)
    ticks += table.durations[entry]! * table.durations[entry + 1]!;
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
