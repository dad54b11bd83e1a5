import type { ReadableBlob } from '../blob-window-source';
import {
  child,
  chunkOffsets,
  fits,
  fullBox,
  packetsPerChunk,
  readMovieTrack,
  sampleSizes,
  type Box,
  type SampleSizes,
} from './movie-box';

/** One key frame's packet, as the file stores it. */
export interface KeyFrame {
  readonly data: Uint8Array;
  /** Seconds on the track's edited timeline, as mediabunny times it. */
  readonly timestamp: number;
}

/** A run-length table read in place: (count, value) pairs from `at`, as stts and ctts store them. */
class RunCursor {
  private entry = 0;
  private left: number;

  constructor(
    private readonly view: DataView,
    private readonly at: number,
    private readonly entries: number,
    private readonly signed: boolean,
  ) {
    this.left = entries > 0 ? view.getUint32(at) : 0;
  }

  /** How many samples the table covers. */
  samples(): number {
    let count = 0;
    for (let entry = 0; entry < this.entries; entry++) count += this.view.getUint32(this.at + entry * 8);
    return count;
  }

  /** Each sample's value, summed. */
  total(): number {
    let sum = 0;
    for (let entry = 0; entry < this.entries; entry++)
      sum += this.view.getUint32(this.at + entry * 8) * this.view.getUint32(this.at + entry * 8 + 4);
    return sum;
  }

  /** The value of the next sample; 0 once the table has run out. */
  next(): number {
    while (this.left === 0) {
      if (++this.entry >= this.entries) return 0;
      this.left = this.view.getUint32(this.at + this.entry * 8);
    }
    this.left--;
    const valueAt = this.at + this.entry * 8 + 4;
    return this.signed ? this.view.getInt32(valueAt) : this.view.getUint32(valueAt);
  }
}

function runTable(view: DataView, table: Box, type: 'stts' | 'ctts'): RunCursor | null {
  const box = child(view, table, type);
  if (!box) return null;
  const { at } = fullBox(view, box);
  const entries = view.getUint32(at);
  return fits(box, at + 4, entries, 8) ? new RunCursor(view, at + 4, entries, type === 'ctts') : null;
}

/** Where sample `index` (0-based, decode order) sits in the file. */
function sampleLocation(
  view: DataView,
  table: Box,
  sizes: SampleSizes,
  index: number,
): { offset: number; size: number } | null {
  const chunkBox = child(view, table, 'stsc');
  const offsets = chunkOffsets(view, table);
  const runs = chunkBox && packetsPerChunk(view, chunkBox);
  if (!offsets || !runs) return null;
  const sizeOf = (sample: number) => (sizes.common !== 0 ? sizes.common : view.getUint32(sizes.at + sample * 4));
  let firstSample = 0;
  for (let run = 0; run < runs.length; run += 2) {
    const firstChunk = runs[run]! - 1;
    const endChunk = Math.min(run + 2 < runs.length ? runs[run + 2]! - 1 : offsets.length, offsets.length);
    const perChunk = runs[run + 1]!;
    const samples = (endChunk - firstChunk) * perChunk;
    if (index < firstSample + samples) {
      const chunk = firstChunk + Math.floor((index - firstSample) / perChunk);
      let offset = offsets[chunk]!;
      for (let sample = firstSample + (chunk - firstChunk) * perChunk; sample < index; sample++)
        offset += sizeOf(sample);
      return { offset, size: sizeOf(index) };
    }
    firstSample += samples;
  }
  return null;
}

/**
 * The key frame shown last at or before the time `pick` chooses from the track's length (the first
 * key frame if none is), read from track `id`'s sample table in place.
 *
 * mediabunny would read the whole table into an object or two per frame and keep it while its Input
 * lives: for a cover from a 2 GB video, tens of megabytes, for the one frame needed.
 * Null when the file is fragmented, or the track has more than one sample description.
 */
export async function readKeyFrame(
  blob: ReadableBlob,
  id: number,
  pick: (durationSeconds: number) => number,
): Promise<KeyFrame | null> {
  const track = await readMovieTrack(blob, id);
  if (!track) return null;
  const { view, table, timescale } = track;
  const editOffset = track.editOffset ?? 0;
  const descriptions = child(view, table, 'stsd');
  const sizes = sampleSizes(view, table);
  const timing = runTable(view, table, 'stts');
  if (!descriptions || !sizes || !timing || view.getUint32(fullBox(view, descriptions).at) !== 1) return null;
  const sampleCount = sizes.count;
  // A damaged count is caught before the samples are walked: each one must have its size and time.
  if (sampleCount > timing.samples()) return null;

  const target = pick((timing.total() - editOffset) / timescale) * timescale + editOffset;

  const compositionOffsets = runTable(view, table, 'ctts');
  const syncBox = child(view, table, 'stss');
  const sync = syncBox && { at: fullBox(view, syncBox).at + 4, count: view.getUint32(fullBox(view, syncBox).at) };
  if (syncBox && sync && !fits(syncBox, sync.at, sync.count, 4)) return null;
  let nextSync = 0;
  let chosen: { index: number; time: number } | undefined;
  let decodeTime = 0;
  for (let sample = 0; sample < sampleCount; sample++) {
    const presentationTime = decodeTime + (compositionOffsets?.next() ?? 0);
    decodeTime += timing.next();
    let isKey = !sync;
    if (sync) {
      while (nextSync < sync.count && view.getUint32(sync.at + nextSync * 4) - 1 < sample) nextSync++;
      isKey = nextSync < sync.count && view.getUint32(sync.at + nextSync * 4) - 1 === sample;
    }
    if (!isKey) continue;
    if (!chosen || (presentationTime <= target && (chosen.time > target || presentationTime >= chosen.time)))
      chosen = { index: sample, time: presentationTime };
  }
  if (!chosen) return null;
  const location = sampleLocation(view, table, sizes, chosen.index);
  if (!location || location.offset + location.size > blob.size) return null;
  const data = new Uint8Array(await blob.slice(location.offset, location.offset + location.size).arrayBuffer());
  return { data, timestamp: (chosen.time - editOffset) / timescale };
}
