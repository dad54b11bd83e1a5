import type { Mp3Format } from './segmented-encoding';

export interface EncoderRequest {
  id: number;
  planes: Float32Array[];
  format: Mp3Format;
  /** Where the MP3 bytes go when they fit: a buffer the conversion is done with, so none is made per segment. */
  output: Uint8Array;
}

/** A success hands the request's planes back, for the pool to reuse; `mp3` is a view of the request's output when it fitted. */
export type EncoderResponse = { id: number; mp3: Uint8Array; planes: Float32Array[] } | { id: number; error: string };
