import type { WasmMediaEncoder } from 'wasm-media-encoders';
import type { Mp3Format } from './segmented-encoding';

export type Lame = WasmMediaEncoder<'audio/mpeg'>;

const CHUNK_SAMPLES = 65_536;

/** Encodes planar PCM into a raw LAME stream (no Xing frame), flushed at the end. */
export function encodeWithLame(lame: Lame, planes: Float32Array[], format: Mp3Format): Uint8Array {
  // SegmentedMp3Encoder.supports() only lets MPEG-1 rates, mono or stereo, and our CBR bitrates through.
  lame.configure({
    sampleRate: format.sampleRate,
    outputSampleRate: format.sampleRate as 48_000,
    channels: format.channels as 1 | 2,
    bitrate: format.bitrateKbps as 192,
  });
  const parts: Uint8Array[] = [];
  for (let start = 0; start < (planes[0]?.length ?? 0); start += CHUNK_SAMPLES) {
    parts.push(lame.encode(planes.map((plane) => plane.subarray(start, start + CHUNK_SAMPLES))).slice());
  }
  parts.push(lame.finalize().slice());
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
