import type { FailureReason } from '../../../failures';

/** Why the editor can't show a file's sound: a failure as the jobs have them, or one only the ffmpeg.wasm fallback could read. */
export type WaveformFailure = FailureReason | 'editor-unreadable';

export type ToWaveformWorker = { type: 'read'; file: File };

export type FromWaveformWorker =
  | { type: 'opened'; durationSeconds: number; peaksPerSecond: number }
  /** Min, max pairs following those sent before. */
  | { type: 'peaks'; pairs: Float32Array }
  | { type: 'done' }
  | { type: 'failed'; reason: WaveformFailure };
