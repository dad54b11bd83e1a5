import { readFileSync } from 'node:fs';
import { createEncoder } from 'wasm-media-encoders';

const wasm = readFileSync(new URL('../../utils/engines/local/mp3/lame.wasm', import.meta.url));

/** The LAME build the extension's encoder workers run, here in-process. */
export const createShippedMp3Encoder = () => createEncoder('audio/mpeg', wasm);
