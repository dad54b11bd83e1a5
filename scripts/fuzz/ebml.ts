// Matroska/WebM (EBML) surgery: element sizes that are huge or unknown, fields set to 0 or NaN.
import { concat, type Mutation } from './generic.ts';
import type { Random } from './random.ts';

/** Where an element's id, size and data are in the file, and the masters it sits in. */
interface Element {
  id: number;
  start: number;
  sizeAt: number;
  sizeLength: number;
  dataAt: number;
  end: number;
  parents: Element[];
}

const MASTERS = new Set([
  0x1a45dfa3, 0x18538067, 0x114d9b74, 0x4dbb, 0x1549a966, 0x1654ae6b, 0xae, 0xe1, 0xe0, 0x1f43b675, 0xa0, 0x1c53bb6b,
  0xbb, 0xb7, 0x1254c367, 0x7373,
]);
const NAMES = new Map([
  [0x1a45dfa3, 'EBML'],
  [0x18538067, 'Segment'],
  [0x114d9b74, 'SeekHead'],
  [0x1549a966, 'Info'],
  [0x1654ae6b, 'Tracks'],
  [0xae, 'TrackEntry'],
  [0xe1, 'Audio'],
  [0x1f43b675, 'Cluster'],
  [0xa3, 'SimpleBlock'],
  [0xa0, 'BlockGroup'],
  [0xa1, 'Block'],
  [0xb5, 'SamplingFrequency'],
  [0x9f, 'Channels'],
  [0x63a2, 'CodecPrivate'],
  [0x86, 'CodecID'],
  [0x2ad7b1, 'TimestampScale'],
  [0xe7, 'Timestamp'],
  [0x1c53bb6b, 'Cues'],
  [0xd7, 'TrackNumber'],
  [0x83, 'TrackType'],
  [0x4282, 'DocType'],
]);
const nameOf = (id: number) => NAMES.get(id) ?? `0x${id.toString(16)}`;

/** A variable-length integer at `at`: its length, and its value with (size) or without (id) the marker bit. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean) {
  const first = bytes[at] ?? 0;
  const length = Math.clz32(first) - 23;
  if (first === 0 || length > 8 || at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + (bytes[at + i] ?? 0);
  const unknown = !keepMarker && value === 2 ** (7 * length) - 1;
  return { length, value, unknown };
}

/** Every element that parses, depth first. */
function parseElements(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  parents: Element[] = [],
  out: Element[] = [],
): Element[] {
  for (let at = start; at < end;) {
    const id = vint(bytes, at, true);
    const size = id && vint(bytes, at + id.length, false);
    if (!id || id.length > 4 || !size) break;
    const dataAt = at + id.length + size.length;
    const elementEnd = size.unknown ? end : Math.min(dataAt + size.value, end);
    const element = {
      id: id.value,
      start: at,
      sizeAt: at + id.length,
      sizeLength: size.length,
      dataAt,
      end: elementEnd,
      parents,
    };
    out.push(element);
    if (MASTERS.has(id.value) && parents.length < 8)
      parseElements(bytes, dataAt, elementEnd, [...parents, element], out);
    at = elementEnd;
  }
  return out;
}

export function isEbml(bytes: Uint8Array) {
  return bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

/** Writes `value` as a size vint of exactly `length` bytes. */
function writeSize(out: Uint8Array, at: number, length: number, value: number) {
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[at + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  out[at] = (out[at] ?? 0) | (0x80 >> (length - 1));
}

const SURGERY: Record<string, (bytes: Uint8Array, element: Element, rng: Random) => Mutation | undefined> = {
  size(bytes, element, rng) {
    const out = bytes.slice();
    const max = 2 ** (7 * element.sizeLength) - 1;
    const size = rng.pick([max, max - 1, 0, bytes.length + rng.int(1 << 20)]) % (max + 1);
    writeSize(out, element.sizeAt, element.sizeLength, size);
    return { bytes: out, what: `${nameOf(element.id)} size ${size === max ? 'unknown' : size}` };
  },
  cut(bytes, element) {
    return {
      bytes: concat(bytes.subarray(0, element.start), bytes.subarray(element.end)),
      what: `cut ${nameOf(element.id)}`,
    };
  },
  duplicate(bytes, element, rng) {
    const copy = bytes.subarray(element.start, element.end);
    const times = rng.chance(0.8) ? 1 : 50;
    return {
      bytes: concat(
        bytes.subarray(0, element.end),
        ...Array.from({ length: times }, () => copy),
        bytes.subarray(element.end),
      ),
      what: `duplicate ${nameOf(element.id)} ×${times}`,
    };
  },
  /** The first child takes its parent's id and size. */
  selfContain(bytes, element) {
    const headerLength = element.dataAt - element.start;
    if (!MASTERS.has(element.id) || element.end - element.dataAt < headerLength) return undefined;
    const out = bytes.slice();
    out.copyWithin(element.dataAt, element.start, element.dataAt);
    return { bytes: out, what: `${nameOf(element.id)} contains itself` };
  },
  /** Numbers decoders divide by or allocate with. */
  value(bytes, element, rng) {
    const length = element.end - element.dataAt;
    if (MASTERS.has(element.id) || length < 1 || length > 8) return undefined;
    const out = bytes.slice();
    const data = new DataView(out.buffer, element.dataAt, length);
    if (length === 8) data.setFloat64(0, rng.pick([0, Number.NaN, -1, 1e300, Infinity]));
    else if (length === 4 && element.id === 0xb5) data.setFloat32(0, rng.pick([0, Number.NaN, -1, 1e30]));
    else out.fill(rng.pick([0, 0xff]), element.dataAt, element.end);
    return { bytes: out, what: `${nameOf(element.id)} value garbled` };
  },
};

/** One surgery on a random element, or undefined when none applies. */
export function mutateEbml(bytes: Uint8Array, rng: Random): Mutation | undefined {
  const elements = parseElements(bytes);
  const named = elements.filter((element) => NAMES.has(element.id));
  for (let attempt = 0; attempt < 20 && elements.length > 0; attempt++) {
    const element = rng.pickByKind(rng.chance(0.8) && named.length > 0 ? named : elements, (e) => e.id);
    const done = SURGERY[rng.pick(Object.keys(SURGERY))]?.(bytes, element, rng);
    if (done) return done;
  }
  return undefined;
}
