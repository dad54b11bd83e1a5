// MP4/MOV/M4V (ISO BMFF) box surgery: sizes that lie, counts that never end, boxes inside themselves.
import { concat, type Mutation } from './generic.ts';
import type { Random } from './random.ts';

/** Where a box starts, its size and header size (8, or 16 with a 64-bit size), and the boxes it sits in. */
interface Box {
  type: string;
  start: number;
  size: number;
  header: number;
  parents: Box[];
}

/** Where each container's children start, counted from the box start (full boxes and sample entries skip their fields). */
const CHILDREN_AT = new Map([
  ...['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'udta', 'mvex', 'moof', 'traf', 'mfra'].map(
    (type): [string, number] => [type, 8],
  ),
  ['stsd', 16],
  ['dref', 16],
  ['mp4a', 36],
  ['avc1', 86],
]);
/** Full boxes whose body starts with an entry count after version and flags. */
const COUNTED = ['stco', 'co64', 'stts', 'ctts', 'stsc', 'stss', 'elst', 'stsd', 'dref', 'sbgp'];

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const typeAt = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/** Every box that parses, depth first. */
function parseBoxes(bytes: Uint8Array, start = 0, end = bytes.length, parents: Box[] = [], out: Box[] = []): Box[] {
  const data = view(bytes);
  for (let at = start; end - at >= 8;) {
    let size = data.getUint32(at);
    let header = 8;
    if (size === 1 && end - at >= 16) {
      size = Number(data.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) break;
    const box = { type: typeAt(bytes, at + 4), start: at, size, header, parents };
    out.push(box);
    const childrenAt = CHILDREN_AT.get(box.type);
    if (childrenAt !== undefined && parents.length < 12)
      parseBoxes(bytes, at + childrenAt, at + size, [...parents, box], out);
    at += size;
  }
  return out;
}

export function isIsoBmff(bytes: Uint8Array) {
  return bytes.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide'].includes(typeAt(bytes, 4));
}

/** Changes every ancestor's 32-bit size by `delta`, so the file still parses after a box grows or shrinks. */
function resizeParents(bytes: Uint8Array, box: Box, delta: number) {
  for (const parent of box.parents) if (parent.header === 8) view(bytes).setUint32(parent.start, parent.size + delta);
}

const SURGERY: Record<string, (bytes: Uint8Array, box: Box, rng: Random) => Mutation | undefined> = {
  cut(bytes, box, rng) {
    const out = concat(bytes.subarray(0, box.start), bytes.subarray(box.start + box.size));
    const fixed = rng.chance(0.6);
    if (fixed) resizeParents(out, box, -box.size);
    return { bytes: out, what: `cut ${box.type}${fixed ? ' (parents resized)' : ''}` };
  },
  duplicate(bytes, box, rng) {
    const copy = bytes.subarray(box.start, box.start + box.size);
    const times = rng.chance(0.8) ? 1 : 50;
    const out = concat(
      bytes.subarray(0, box.start + box.size),
      ...Array.from({ length: times }, () => copy),
      bytes.subarray(box.start + box.size),
    );
    resizeParents(out, box, box.size * times);
    return { bytes: out, what: `duplicate ${box.type} ×${times}` };
  },
  size(bytes, box, rng) {
    const out = bytes.slice();
    const size = rng.pick([
      0xffffffff,
      0x80000000,
      bytes.length - box.start + 1 + rng.int(1 << 20),
      rng.int(8),
      box.size - 1 - rng.int(8),
    ]);
    view(out).setUint32(box.start, size >>> 0);
    return { bytes: out, what: `${box.type} size ${size >>> 0}` };
  },
  largeSize(bytes, box, rng) {
    if (box.size < 16) return undefined;
    const out = bytes.slice();
    view(out).setUint32(box.start, 1);
    view(out).setBigUint64(box.start + 8, rng.chance(0.5) ? 0xffffffffffffffffn : BigInt(bytes.length) * 1000n);
    return { bytes: out, what: `${box.type} 64-bit size huge` };
  },
  /** The first child claims to be its parent, same type and size: a parser that recurses never ends. */
  selfContain(bytes, box) {
    const childrenAt = CHILDREN_AT.get(box.type);
    if (childrenAt === undefined || box.header !== 8 || box.size < childrenAt + 8) return undefined;
    const out = bytes.slice();
    out.copyWithin(box.start + childrenAt, box.start, box.start + 8);
    return { bytes: out, what: `${box.type} contains itself` };
  },
  count(bytes, box, rng) {
    const at = box.start + box.header + (box.type === 'stsz' ? 8 : 4);
    if (!COUNTED.includes(box.type) && box.type !== 'stsz') return undefined;
    if (at + 4 > box.start + box.size) return undefined;
    const out = bytes.slice();
    const count = rng.pick([0xffffffff, 0x7fffffff, 0x10000000, 0, view(bytes).getUint32(at) + 1 + rng.int(1000)]);
    view(out).setUint32(at, count >>> 0);
    return { bytes: out, what: `${box.type} entry count ${count >>> 0}` };
  },
  /** Entries that loop or never end: huge sample counts with zero durations, chunks going backwards, one offset for all. */
  entries(bytes, box, rng) {
    const body = box.start + box.header + 8;
    const end = box.start + box.size;
    const out = bytes.slice();
    const data = view(out);
    if (box.type === 'stts' || box.type === 'ctts') {
      for (let at = body; at + 8 <= end; at += 8) {
        data.setUint32(at, 0xffffffff);
        data.setUint32(at + 4, rng.chance(0.5) ? 0 : 0xffffffff);
      }
      return { bytes: out, what: `${box.type} endless zero-length samples` };
    }
    if (box.type === 'stsc') {
      for (let at = body, i = 0; at + 12 <= end; at += 12, i++) {
        data.setUint32(at, rng.chance(0.5) ? 1 : 1000 - i);
        data.setUint32(at + 4, rng.pick([0, 0xffffffff, 1]));
      }
      return { bytes: out, what: 'stsc chunks going backwards' };
    }
    if (box.type === 'stco') {
      const offset = rng.pick([0, box.start, 0xfffffff0, bytes.length - 1]);
      for (let at = body; at + 4 <= end; at += 4) data.setUint32(at, offset);
      return { bytes: out, what: `stco every chunk at ${offset}` };
    }
    if (box.type === 'stsz') {
      for (let at = body + 4; at + 4 <= end; at += 4) data.setUint32(at, rng.pick([0, 0xffffffff, 0x7fffffff]));
      return { bytes: out, what: 'stsz huge or empty samples' };
    }
    if (box.type === 'elst') {
      for (let at = body; at + 12 <= end; at += 12) {
        data.setUint32(at, 0xffffffff);
        data.setInt32(at + 4, rng.pick([-2, 0x7fffffff]));
        data.setUint32(at + 8, 0);
      }
      return { bytes: out, what: 'elst huge edits at rate 0' };
    }
    return undefined;
  },
  /** Header fields players divide by or allocate with. */
  fields(bytes, box, rng) {
    const out = bytes.slice();
    const data = view(out);
    const value = rng.pick([0, 0xffffffff, 1]);
    const at = {
      mdhd: box.start + 20,
      mvhd: box.start + 20,
      mp4a: box.start + 24,
      tkhd: box.start + 28,
      hdlr: box.start + 16,
    }[box.type];
    if (at === undefined || at + 4 > box.start + box.size) return undefined;
    if (box.type === 'hdlr')
      out.set(
        [...'vide'].map((c) => c.charCodeAt(0)),
        at,
      );
    else data.setUint32(at, value);
    return {
      bytes: out,
      what: box.type === 'hdlr' ? 'hdlr says vide' : `${box.type} field at +${at - box.start} = ${value}`,
    };
  },
};

/** One box surgery on a random box, or undefined when none applies. */
export function mutateIso(bytes: Uint8Array, rng: Random): Mutation | undefined {
  const boxes = parseBoxes(bytes).filter((box) => box.type !== 'ftyp');
  for (let attempt = 0; attempt < 20 && boxes.length > 0; attempt++) {
    const box = rng.pickByKind(boxes, (b) => b.type);
    const done = SURGERY[rng.pick(Object.keys(SURGERY))]?.(bytes, box, rng);
    if (done) return done;
  }
  return undefined;
}
