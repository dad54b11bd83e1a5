import { createEncoder } from 'wasm-media-encoders';
import wasmUrl from 'wasm-media-encoders/wasm/mp3?url';
import type { EncoderRequest, EncoderResponse } from './encoder-messages';
import { encodeWithLame, type Lame } from './lame';

let lame: Promise<Lame> | undefined;

self.onmessage = async ({ data }: MessageEvent<EncoderRequest>) => {
  try {
    lame ??= createEncoder('audio/mpeg', wasmUrl);
    const mp3 = encodeWithLame(await lame, data.planes, data.format);
    self.postMessage({ id: data.id, mp3 } satisfies EncoderResponse, { transfer: [mp3.buffer] });
  } catch (error) {
    self.postMessage({ id: data.id, error: String(error) } satisfies EncoderResponse);
  }
};
