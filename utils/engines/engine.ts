import type { Bitrate } from '../bitrate';
import type { TagChoices } from '../tag-choices';
import type { Fades } from '../fades';
import type { Trim } from '../trim';
import type { FileExtension, OutputFormat } from '../output-format';
import type { SourceDescription } from '../outputs/output-plan';
import type { PosterImage } from '../site/poster';

export interface ConversionRequest {
  input: Blob;
  /** The source's file name, for messages and the title tag. */
  fileName: string;
  /** The MP3's bitrate: kbps at a constant bitrate, or a VBR quality level. */
  bitrate: Bitrate;
  /** When the source's sound already is MP3, copy its frames instead of encoding at `bitrate`. */
  keepMp3Audio?: boolean;
  /** `original`: the source's sound copied packet for packet into its own container (MP3 when it has none). */
  format?: OutputFormat;
  /** Bring the MP3 to −14 LUFS integrated loudness (a first pass measures it). */
  normalizeLoudness?: boolean;
  title: string;
  /** All tags when absent. */
  tags?: TagChoices;
  /** Only this part of the sound, cut to the sample. */
  trim?: Trim;
  /** Fades at the start and end of the kept sound. */
  fades?: Fades;
  /**
   * Finished parts of the MP3 go to IndexedDB under this key while it is written, so a long one
   * never sits in memory. A name, not a function: a request must be able to cross into a worker.
   */
  scratchKey?: string;
  /** The sound track, by its place among the source's (from 0); the default one when absent. */
  trackIndex?: number;
  /**
   * The MP3 is one chapter of the video (its part of the sound is the trim): numbered, with the video's
   * title as album, and no chapter frames of its own.
   */
  chapterFile?: { album: string; trackNumber: number; tracksTotal: number };
  /** The page's poster of the video: the cover when the source has none of its own (before a frame of it). */
  cover?: PosterImage;
}

export interface ConversionResult {
  /** The file made: an MP3, unless `extension` says it is the original sound in its own container. */
  mp3: Blob;
  durationSeconds: number;
  /** The made file's extension when it is not `mp3`. */
  extension?: FileExtension;
  /** With the `original` format, the codec (as people name it) that had no container here, so it became an MP3. */
  originalNotKept?: string;
}

export type ProgressListener = (progress: number) => void;

/** What every engine (on this device, in the cloud) does: a video in, an MP3 out. */
export interface Engine {
  convert(request: ConversionRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<ConversionResult>;
  /** Gets ready for a conversion that is likely to come (starts workers, compiles wasm). */
  warmUp?(): void;
  /** The source's sound tracks and chapters, for a job that may make several MP3s of it (one MP3 without it). */
  describe?(input: Blob, signal: AbortSignal): Promise<SourceDescription>;
}
