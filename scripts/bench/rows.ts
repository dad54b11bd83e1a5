// The rows `npm run bench` measures for each input, in this order. To bench another engine or
// variant, export a BenchRow from a new file in scripts/bench/ and add it to the end of this list.
import type { BenchRow } from './common.ts';
import { extensionRow } from './extension.ts';
import { nativeRow } from './native.ts';
import { wasmRow } from './wasm.ts';
import { firefoxRow } from './firefox-row.ts';
import { hlsStreamRow } from './hls-stream.ts';

export const benchRows: BenchRow[] = [nativeRow, wasmRow, extensionRow, firefoxRow, hlsStreamRow];
