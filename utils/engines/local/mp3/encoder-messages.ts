import type { Mp3Format } from './segmented-encoding';

export interface EncoderRequest {
  id: number;
  planes: Float32Array[];
  format: Mp3Format;
}

/** A success hands the request's planes back, for the pool to reuse. */
export type EncoderResponse = { id: number; mp3: Uint8Array; planes: Float32Array[] } | { id: number; error: string };
