import type { ReadableBlob } from '../blob-window-source';
import { boxesIn, path, readMovieBox, readMovieTrack } from '../mp4/movie-box';
import { sampleTableOf, soundPackets } from '../mp4/sound-table';
import type { Chapter } from './chapter';

const MAX_CHAPTERS = 1000;
/** A chapter title is a few words; a sample bigger than this is not one. */
const MAX_TITLE_SAMPLE_BYTES = 4096;

/** The track a `tref/chap` of some track points at: QuickTime's chapter track. */
function chapterTrackId(view: DataView): number | undefined {
  for (const track of boxesIn(view, 8, view.byteLength)) {
    if (track.type !== 'trak') continue;
    const reference = path(view, track, 'tref', 'chap');
    if (reference && reference.end - reference.start >= 4) return view.getUint32(reference.start);
  }
  return undefined;
}

/** A text sample: a 16-bit length, then the title in UTF-8, or UTF-16 after a byte-order mark. */
function sampleTitle(bytes: Uint8Array): string {
  if (bytes.length < 2) return '';
  const length = Math.min((bytes[0]! << 8) | bytes[1]!, bytes.length - 2);
  const text = bytes.subarray(2, 2 + length);
  if (text[0] === 0xfe && text[1] === 0xff) return new TextDecoder('utf-16be').decode(text.subarray(2));
  if (text[0] === 0xff && text[1] === 0xfe) return new TextDecoder('utf-16le').decode(text.subarray(2));
  return new TextDecoder().decode(text);
}

/**
 * An MP4 or QuickTime file's chapter track (as Apple's apps, HandBrake and ffmpeg write it): a text
 * track another track names in `tref/chap`, one sample per chapter, timed by the sample table.
 */
export async function readChapterTrack(blob: ReadableBlob): Promise<Chapter[]> {
  const view = await readMovieBox(blob);
  const id = view && chapterTrackId(view);
  if (id === undefined || id === null) return [];
  const track = await readMovieTrack(blob, id);
  const table = track && sampleTableOf(track);
  if (!table || table.sampleCount > MAX_CHAPTERS) return [];
  // The cursor reuses one object: each sample is copied out before the next.
  const samples = [];
  for (const { offset, size, decodeTime, duration } of soundPackets(table))
    samples.push({ offset, size, decodeTime, duration });
  const chapters: Chapter[] = [];
  for (const sample of samples) {
    if (sample.size > MAX_TITLE_SAMPLE_BYTES) return [];
    const bytes = new Uint8Array(await blob.slice(sample.offset, sample.offset + sample.size).arrayBuffer());
    chapters.push({
      title: sampleTitle(bytes),
      startSeconds: (sample.decodeTime - table.editOffset) / table.timescale,
      endSeconds: (sample.decodeTime + sample.duration - table.editOffset) / table.timescale,
    });
  }
  return chapters;
}
