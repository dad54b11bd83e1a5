// Mutations that ignore the container: what a bad disk, a cut download or a bad copy does to a file.

/** @typedef {import('./random.mjs').Random} Random */
/** @typedef {{ bytes: Uint8Array, what: string }} Mutation */

/** @param {Uint8Array[]} parts */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** @param {Uint8Array} bytes @param {Random} rng @returns {Mutation} */
export function flipBytes(bytes, rng) {
  const out = bytes.slice();
  const count = 1 + rng.int(rng.chance(0.5) ? 8 : 256);
  for (let i = 0; i < count && out.length > 0; i++) out[rng.int(out.length)] ^= rng.chance(0.3) ? 0xff : 1 << rng.int(8);
  return { bytes: out, what: `flip ${count} bytes` };
}

/** @param {Uint8Array} bytes @param {Random} rng @returns {Mutation} */
export function truncate(bytes, rng) {
  const keep = rng.chance(0.2) ? rng.int(64) : rng.int(bytes.length);
  return { bytes: bytes.slice(0, keep), what: `truncate at ${keep}` };
}

/** @param {Uint8Array} bytes @param {Random} rng @returns {Mutation} */
export function zeroRange(bytes, rng) {
  const start = rng.int(bytes.length);
  const length = 1 + rng.int(rng.chance(0.5) ? 512 : 64 * 1024);
  const out = bytes.slice();
  out.fill(rng.chance(0.8) ? 0 : 0xff, start, start + length);
  return { bytes: out, what: `fill ${length} bytes at ${start}` };
}

/** Cuts a random range out of the middle, as a copy that skipped a block would. @param {Uint8Array} bytes @param {Random} rng @returns {Mutation} */
export function cutRange(bytes, rng) {
  const start = rng.int(bytes.length);
  const length = 1 + rng.int(16 * 1024);
  return { bytes: concat(bytes.subarray(0, start), bytes.subarray(start + length)), what: `cut ${length} bytes at ${start}` };
}

/** Repeats a range many times, which makes tables and streams that seem to go on and on. @param {Uint8Array} bytes @param {Random} rng @returns {Mutation} */
export function repeatRange(bytes, rng) {
  const start = rng.int(bytes.length);
  const chunk = bytes.subarray(start, start + 1 + rng.int(4096));
  const times = 2 + rng.int(200);
  const copies = Array.from({ length: times }, () => chunk);
  return { bytes: concat(bytes.subarray(0, start), ...copies, bytes.subarray(start)), what: `repeat ${chunk.length} bytes at ${start} ×${times}` };
}

/** @param {Uint8Array} bytes @param {Random} rng @returns {Mutation} */
export function insertNoise(bytes, rng) {
  const start = rng.int(bytes.length);
  const noise = Uint8Array.from({ length: 1 + rng.int(2048) }, () => rng.int(256));
  return { bytes: concat(bytes.subarray(0, start), noise, bytes.subarray(start)), what: `insert ${noise.length} random bytes at ${start}` };
}

export const GENERIC_MUTATIONS = [flipBytes, truncate, zeroRange, cutRange, repeatRange, insertNoise];
