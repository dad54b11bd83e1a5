// AVI (RIFF) surgery: chunk sizes that lie and a WAVEFORMATEX full of zeros.

/** @typedef {import('./random.mjs').Random} Random */
/** @typedef {import('./generic.mjs').Mutation} Mutation */
/** @typedef {{ id: string, start: number, size: number }} Chunk */

const LISTS = ['RIFF', 'LIST'];
const idAt = (/** @type {Uint8Array} */ bytes, /** @type {number} */ at) => String.fromCharCode(...bytes.subarray(at, at + 4));

/** @param {Uint8Array} bytes @returns {Chunk[]} */
export function parseChunks(bytes, start = 0, end = bytes.length, /** @type {Chunk[]} */ out = []) {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = start; end - at >= 8; ) {
    const size = data.getUint32(at + 4, true);
    if (at + 8 + size > end) break;
    const id = idAt(bytes, at);
    out.push({ id: LISTS.includes(id) ? `${id}:${idAt(bytes, at + 8)}` : id, start: at, size });
    if (LISTS.includes(id)) parseChunks(bytes, at + 12, at + 8 + size, out);
    at += 8 + size + (size % 2);
  }
  return out;
}

export function isRiff(/** @type {Uint8Array} */ bytes) {
  return idAt(bytes, 0) === 'RIFF';
}

/** @param {Uint8Array} bytes @param {Random} rng @returns {Mutation | undefined} */
export function mutateRiff(bytes, rng) {
  const chunks = parseChunks(bytes);
  if (chunks.length === 0) return undefined;
  const chunk = rng.pick(chunks);
  const out = bytes.slice();
  const data = new DataView(out.buffer);
  if (chunk.id === 'strf' && rng.chance(0.7)) {
    // WAVEFORMATEX: channels, sample rate, bytes per second, block align.
    const field = rng.pick([2, 4, 8, 12]);
    if (field === 12) data.setUint16(chunk.start + 8 + field, 0, true);
    else data.setUint32(chunk.start + 8 + field, rng.pick([0, 0xffffffff]), true);
    return { bytes: out, what: `strf field at +${field} garbled` };
  }
  const size = rng.pick([0xffffffff, 0x7ffffff0, 0, bytes.length * 2]);
  data.setUint32(chunk.start + 4, size >>> 0, true);
  return { bytes: out, what: `${chunk.id} size ${size >>> 0}` };
}
