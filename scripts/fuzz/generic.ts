// Mutations that ignore the container: what a bad disk, a cut download or a bad copy does to a file.

import type { Random } from './random.ts';

/** A changed copy of a file, and what was done to it, in words. */
export interface Mutation {
  bytes: Uint8Array;
  what: string;
}

export function concat(...parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function flipBytes(bytes: Uint8Array, rng: Random): Mutation {
  const out = bytes.slice();
  const count = 1 + rng.int(rng.chance(0.5) ? 8 : 256);
  for (let i = 0; i < count && out.length > 0; i++) {
    const at = rng.int(out.length);
    out[at] = (out[at] ?? 0) ^ (rng.chance(0.3) ? 0xff : 1 << rng.int(8));
  }
  return { bytes: out, what: `flip ${count} bytes` };
}

function truncate(bytes: Uint8Array, rng: Random): Mutation {
  const keep = rng.chance(0.2) ? rng.int(64) : rng.int(bytes.length);
  return { bytes: bytes.slice(0, keep), what: `truncate at ${keep}` };
}

function zeroRange(bytes: Uint8Array, rng: Random): Mutation {
  const start = rng.int(bytes.length);
  const length = 1 + rng.int(rng.chance(0.5) ? 512 : 64 * 1024);
  const out = bytes.slice();
  out.fill(rng.chance(0.8) ? 0 : 0xff, start, start + length);
  return { bytes: out, what: `fill ${length} bytes at ${start}` };
}

/** Cuts a random range out of the middle, as a copy that skipped a block would. */
function cutRange(bytes: Uint8Array, rng: Random): Mutation {
  const start = rng.int(bytes.length);
  const length = 1 + rng.int(16 * 1024);
  return {
    bytes: concat(bytes.subarray(0, start), bytes.subarray(start + length)),
    what: `cut ${length} bytes at ${start}`,
  };
}

/** Repeats a range many times, which makes tables and streams that seem to go on and on. */
function repeatRange(bytes: Uint8Array, rng: Random): Mutation {
  const start = rng.int(bytes.length);
  const chunk = bytes.subarray(start, start + 1 + rng.int(4096));
  const times = 2 + rng.int(200);
  const copies = Array.from({ length: times }, () => chunk);
  return {
    bytes: concat(bytes.subarray(0, start), ...copies, bytes.subarray(start)),
    what: `repeat ${chunk.length} bytes at ${start} ×${times}`,
  };
}

function insertNoise(bytes: Uint8Array, rng: Random): Mutation {
  const start = rng.int(bytes.length);
  const noise = Uint8Array.from({ length: 1 + rng.int(2048) }, () => rng.int(256));
  return {
    bytes: concat(bytes.subarray(0, start), noise, bytes.subarray(start)),
    what: `insert ${noise.length} random bytes at ${start}`,
  };
}

export const GENERIC_MUTATIONS = [flipBytes, truncate, zeroRange, cutRange, repeatRange, insertNoise];
