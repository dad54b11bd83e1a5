// AVI (RIFF) surgery: chunk sizes that lie and a WAVEFORMATEX full of zeros.

import type { Mutation } from './generic.ts';
import type { Random } from './random.ts';

/** A chunk's id (a list's with its type, "LIST:hdrl"), where its header starts, and its body's size. */
interface Chunk {
  id: string;
  start: number;
  size: number;
}

const LISTS = ['RIFF', 'LIST'];
const idAt = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

function parseChunks(bytes: Uint8Array, start = 0, end = bytes.length, out: Chunk[] = []): Chunk[] {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = start; end - at >= 8;) {
    const size = data.getUint32(at + 4, true);
    if (at + 8 + size > end) break;
    const id = idAt(bytes, at);
    out.push({ id: LISTS.includes(id) ? `${id}:${idAt(bytes, at + 8)}` : id, start: at, size });
    if (LISTS.includes(id)) parseChunks(bytes, at + 12, at + 8 + size, out);
    at += 8 + size + (size % 2);
  }
  return out;
}

export function isRiff(bytes: Uint8Array) {
  return idAt(bytes, 0) === 'RIFF';
}

export function mutateRiff(bytes: Uint8Array, rng: Random): Mutation | undefined {
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
