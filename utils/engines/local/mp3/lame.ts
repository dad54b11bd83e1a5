import type { WasmMediaEncoder } from 'wasm-media-encoders';
import type { Mp3Format } from './segmented-encoding';
import { vbrQuality } from '../../../bitrate';

export type Lame = WasmMediaEncoder<'audio/mpeg'>;

const CHUNK_SAMPLES = 65_536;

/**
 * The encoder's output is gathered in one buffer kept from segment to segment, then copied out once:
 * a worker that only encodes allocates so little else that V8 seldom collects, and buffers dropped
 * per segment piled up to tens of megabytes in each worker.
 */
let output = new Uint8Array(1 << 20);
let gathered = 0;

function gather(bytes: Uint8Array): void {
  const needed = gathered + bytes.length;
  if (needed > output.length) {
    const grown = new Uint8Array(Math.max(needed, output.length * 2));
    grown.set(output.subarray(0, gathered));
    output = grown;
  }
  output.set(bytes, gathered);
  gathered = needed;
}

/** Encodes planar PCM into a raw LAME stream (no Xing frame), flushed at the end. */
export function encodeWithLame(lame: Lame, planes: Float32Array[], format: Mp3Format): Uint8Array {
  // The engine only encodes MPEG-1 rates, mono or stereo (audio-layout.ts), at the settings' bitrates.
  const quality = vbrQuality(format.bitrate);
  lame.configure({
    sampleRate: format.sampleRate,
    outputSampleRate: format.sampleRate as 48_000,
    channels: format.channels as 1 | 2,
    ...(quality === undefined ? { bitrate: format.bitrate as 192 } : { vbrQuality: quality }),
  });
  gathered = 0;
  for (let start = 0; start < (planes[0]?.length ?? 0); start += CHUNK_SAMPLES) {
    gather(lame.encode(planes.map((plane) => plane.subarray(start, start + CHUNK_SAMPLES))));
  }
  gather(lame.finalize());
  return output.slice(0, gathered);
}
