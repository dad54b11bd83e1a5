import { BlobWriter, type Spill } from './blob-writer';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    table[byte] = crc >>> 0;
  }
  return table;
})();

/** Ogg's page checksum: CRC-32 with polynomial 0x04c11db7, not reflected, over the page with its checksum field at 0. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (const byte of page) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}

interface Page {
  headerType: number;
  granule: bigint;
  serial: number;
  /** The packet pieces of the page, in order; `ends` says whether each one ends its packet. */
  pieces: { data: Uint8Array; ends: boolean }[];
}

function makePage(page: Page, sequence: number): Uint8Array {
  const lacing: number[] = [];
  for (const { data, ends } of page.pieces) {
    for (let left = data.length; ; left -= 255) {
      if (left < 255) {
        if (ends) lacing.push(left);
        else if (left > 0) throw new Error('an unfinished packet piece must fill whole segments');
        break;
      }
      lacing.push(255);
    }
  }
  const size = page.pieces.reduce((sum, piece) => sum + piece.data.length, 0);
  const bytes = new Uint8Array(27 + lacing.length + size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4f, 0x67, 0x67, 0x53]);
  bytes[5] = page.headerType;
  view.setBigInt64(6, page.granule, true);
  view.setUint32(14, page.serial, true);
  view.setUint32(18, sequence, true);
  bytes[26] = lacing.length;
  bytes.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const { data } of page.pieces) {
    bytes.set(data, at);
    at += data.length;
  }
  view.setUint32(22, oggCrc(bytes), true);
  return bytes;
}

/** The comment and setup packets laid into pages of at most 255 segments, as a muxer lays them. */
function headerPages(packets: Uint8Array[], serial: number): Page[] {
  const pages: Page[] = [];
  let current: Page = { headerType: 0, granule: 0n, serial, pieces: [] };
  let segments = 0;
  for (const packet of packets) {
    let offset = 0;
    for (;;) {
      const room = 255 - segments;
      const needed = Math.floor((packet.length - offset) / 255) + 1;
      if (needed <= room) {
        current.pieces.push({ data: packet.subarray(offset), ends: true });
        segments += needed;
        break;
      }
      current.pieces.push({ data: packet.subarray(offset, offset + room * 255), ends: false });
      offset += room * 255;
      pages.push(current);
      current = { headerType: 1, granule: -1n, serial, pieces: [] };
      segments = 0;
    }
  }
  pages.push(current);
  // A page on which no packet ends has granule position -1.
  for (const page of pages) if (!page.pieces.some((piece) => piece.ends)) page.granule = -1n;
  return pages;
}

/**
 * mediabunny 1.61 writes Vorbis comment headers without the framing bit the Vorbis spec ends them
 * with; ffmpeg then drops the last comment (the cover). This adds it: the header pages are made
 * again, and the pages after them renumbered. It assumes mediabunny's layout: the identification
 * packet alone on the first page, and the setup packet ending a page of its own.
 */
export async function withVorbisFramingBit(ogg: Blob, spill?: Spill): Promise<Blob> {
  const out = new BlobWriter(spill);
  const packets: Uint8Array[] = [];
  let partial: Uint8Array[] = [];
  let pagesSeen = 0;
  let sequenceShift = 0;
  let window = new Uint8Array(0);
  let windowStart = 0;
  const read = async (position: number, length: number): Promise<Uint8Array> => {
    if (position < windowStart || position + length > windowStart + window.length) {
      windowStart = position;
      window = new Uint8Array(await ogg.slice(position, position + Math.max(length, 4 * 1024 * 1024)).arrayBuffer());
    }
    return window.subarray(position - windowStart, position - windowStart + length);
  };
  for (let position = 0; position < ogg.size;) {
    const head = await read(position, 27);
    if (head.length < 27 || String.fromCharCode(...head.subarray(0, 4)) !== 'OggS') throw new Error('not an Ogg page');
    const lacing = (await read(position + 27, head[26]!)).slice();
    const bodySize = lacing.reduce((sum, value) => sum + value, 0);
    const page = (await read(position, 27 + lacing.length + bodySize)).slice();
    position += page.length;
    const sequence = new DataView(page.buffer).getUint32(18, true);
    if (packets.length < 3) {
      // Header pages: gather the identification, comment and setup packets.
      let at = 27 + lacing.length;
      let start = at;
      for (const value of lacing) {
        at += value;
        if (value < 255) {
          packets.push(concat([...partial, page.subarray(start, at)]));
          partial = [];
          start = at;
        }
      }
      if (start < at) partial.push(page.subarray(start, at));
      pagesSeen++;
      if (packets.length === 1 && pagesSeen === 1) out.append(page);
      if (packets.length >= 3) {
        const serial = new DataView(page.buffer).getUint32(14, true);
        const [comment, setup] = [packets[1]!, packets[2]!];
        const fixed = comment[comment.length - 1] === 1 ? comment : concat([comment, new Uint8Array([1])]);
        const pages = headerPages([fixed, setup], serial);
        pages.forEach((made, index) => out.append(makePage(made, 1 + index)));
        sequenceShift = 1 + pages.length - pagesSeen;
        await out.ready;
      }
      continue;
    }
    if (sequenceShift !== 0) {
      const view = new DataView(page.buffer);
      view.setUint32(18, sequence + sequenceShift, true);
      view.setUint32(22, 0, true);
      view.setUint32(22, oggCrc(page), true);
    }
    out.append(page);
    await out.ready;
  }
  return out.toBlob(ogg.type);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}
