import type { Mp3Format } from './segmented-encoding';

export interface EncoderRequest {
  id: number;
  planes: Float32Array[];
  format: Mp3Format;
}

export type EncoderResponse = { id: number; mp3: Uint8Array } | { id: number; error: string };
