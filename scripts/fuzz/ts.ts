// MPEG-TS surgery, packet by packet (188 bytes each, starting with 0x47).

import type { Mutation } from './generic.ts';
import type { Random } from './random.ts';

const PACKET = 188;

export function isTs(bytes: Uint8Array) {
  return bytes.length >= PACKET * 2 && bytes[0] === 0x47 && bytes[PACKET] === 0x47;
}

export function mutateTs(bytes: Uint8Array, rng: Random): Mutation {
  const out = bytes.slice();
  const packets = Math.floor(bytes.length / PACKET);
  const kind = rng.pick(['pid', 'sync', 'pes-length', 'tables']);
  for (let i = 0; i < 1 + rng.int(32); i++) {
    const at = rng.int(packets) * PACKET;
    if (kind === 'pid') out[at + 2] = rng.int(256);
    if (kind === 'sync') out[at] = rng.int(256);
    if (kind === 'pes-length') out.fill(0xff, at + 8, at + 10);
  }
  // PAT and PMT sit in the first packets: garble their section lengths and program numbers.
  if (kind === 'tables')
    for (let p = 0; p < Math.min(4, packets); p++)
      out.fill(rng.pick([0, 0xff]), p * PACKET + 5 + rng.int(12), p * PACKET + 8 + rng.int(20));
  return { bytes: out, what: `ts ${kind} garbled` };
}
