import type { FailureReason } from '../../../failures';
import type { Chapter } from '../chapters/chapter';

/** Why the editor can't show a file's sound: a failure as the jobs have them, or one only the ffmpeg.wasm fallback could read. */
export type WaveformFailure = FailureReason | 'editor-unreadable';

export type ToWaveformWorker = { type: 'read'; file: File };

export type FromWaveformWorker =
  | { type: 'opened'; durationSeconds: number; peaksPerSecond: number }
  /** Min, max pairs following those sent before. */
  | { type: 'peaks'; pairs: Float32Array }
  /** The video's chapters, in the sound's time; sent only when it has some. */
  | { type: 'chapters'; chapters: Chapter[] }
  | { type: 'done' }
  | { type: 'failed'; reason: WaveformFailure };
