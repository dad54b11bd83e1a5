import { createEncoder } from 'wasm-media-encoders';
// Our own build of LAME (scripts/build-lame.sh), faster than the package's and writing the same bytes.
import wasmUrl from './lame.wasm?url';
import type { EncoderRequest, EncoderResponse } from './encoder-messages';
import { encodeWithLame } from './lame';

// Compiled as the worker starts (the pool starts its workers when the popup opens), not at the first segment.
const lame = createEncoder('audio/mpeg', wasmUrl);
// A failure is reported with each segment sent here.
lame.catch(() => undefined);

self.onmessage = async ({ data }: MessageEvent<EncoderRequest>) => {
  try {
    const mp3 = encodeWithLame(await lame, data.planes, data.format);
    const buffers = new Set<ArrayBuffer>([
      mp3.buffer as ArrayBuffer,
      ...data.planes.map((plane) => plane.buffer as ArrayBuffer),
    ]);
    self.postMessage({ id: data.id, mp3, planes: data.planes } satisfies EncoderResponse, { transfer: [...buffers] });
  } catch (error) {
    self.postMessage({ id: data.id, error: String(error) } satisfies EncoderResponse);
  }
};
