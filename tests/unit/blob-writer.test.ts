import { describe, expect, it } from 'vitest';
import { BlobWriter } from '@/utils/engines/local/blob-writer';

const MB = 1024 * 1024;

/** Bytes that differ from their neighbours' and repeat only every 251 bytes, so any reordering shows. */
function pattern(length: number, start: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = (start + index) % 251;
  return bytes;
}

function chunksOf(sizes: number[]): Uint8Array[] {
  let offset = 0;
  return sizes.map((size) => {
    const chunk = pattern(size, offset);
    offset += size;
    return chunk;
  });
}

const concat = (chunks: Uint8Array[]) => {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
};

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

// toEqual walks megabytes of typed array element by element far too slowly; report the first mismatch instead.
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  const mismatch = actual.findIndex((byte, index) => byte !== expected[index]);
  expect(mismatch, `first differing byte at ${mismatch}`).toBe(-1);
}

describe('BlobWriter', () => {
  it.each<[string, number[]]>([
    ['nine 1 MB chunks', Array(9).fill(MB)],
    ['odd-sized chunks', Array(140).fill(65_537)],
    ['one 9 MB chunk', [9 * MB]],
    ['chunks that land exactly on 4 MB', [4 * MB, 1, 4 * MB - 1, MB]],
    ['a chunk just over 4 MB then small ones', [4 * MB + 1, 3, 5, 7, 5 * MB]],
    ['tiny chunks around the boundary', [4 * MB - 2, 1, 1, 1, 1, 4 * MB]],
    ['empty chunks in between', [3 * MB, 0, 2 * MB, 0, 0, 4 * MB]],
  ])('keeps the bytes in order: %s', async (_label, sizes) => {
    const chunks = chunksOf(sizes);
    const writer = new BlobWriter();
    for (const chunk of chunks) writer.append(chunk);
    const expected = concat(chunks);
    expect(writer.size).toBe(expected.byteLength);
    const blob = await writer.toBlob('audio/mpeg');
    expect(blob.size).toBe(expected.byteLength);
    expect(blob.type).toBe('audio/mpeg');
    expectSameBytes(await bytesOf(blob), expected);
  });

  it('copies each chunk, so the caller may reuse its buffer', async () => {
    const writer = new BlobWriter();
    const buffer = new Uint8Array(3 * MB);
    for (const value of [1, 2, 3]) {
      buffer.fill(value);
      writer.append(buffer);
    }
    const bytes = await bytesOf(await writer.toBlob(''));
    expect([bytes[0], bytes[3 * MB], bytes[6 * MB], bytes[9 * MB - 1]]).toEqual([1, 2, 3, 3]);
  });

  it('includes what is appended after an earlier toBlob', async () => {
    const writer = new BlobWriter();
    const [first, second] = chunksOf([5 * MB, 100]);
    writer.append(first!);
    await writer.toBlob('audio/mpeg');
    writer.append(second!);
    expectSameBytes(await bytesOf(await writer.toBlob('audio/mpeg')), concat([first!, second!]));
  });

  it('gives an empty blob when nothing was appended', async () => {
    const writer = new BlobWriter();
    expect(writer.size).toBe(0);
    expect((await writer.toBlob('audio/mpeg')).size).toBe(0);
  });

  it('hands every full part to the spill and keeps what it hands back', async () => {
    const spilled: number[] = [];
    const writer = new BlobWriter(async (part) => {
      spilled.push(part.size);
      return new Blob([await part.arrayBuffer()]);
    });
    const chunks = chunksOf(Array(9).fill(MB));
    for (const chunk of chunks) writer.append(chunk);
    expectSameBytes(await bytesOf(await writer.toBlob('audio/mpeg')), concat(chunks));
    expect(spilled).toEqual([4 * MB, 4 * MB, MB]);
  });

  it('spills each part as it fills, and says when they are out of memory', async () => {
    const spills: (() => void)[] = [];
    const writer = new BlobWriter((part) => new Promise((resolve) => spills.push(() => resolve(part))));
    writer.append(new Uint8Array(4 * MB + 1));
    expect(spills).toHaveLength(1);
    let ready = false;
    void writer.ready.then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    spills[0]!();
    await writer.ready;
    expect(ready).toBe(true);
  });

  it('reports a failed spill through ready and toBlob', async () => {
    const full = new Error('disk full');
    const writer = new BlobWriter(() => Promise.reject(full));
    writer.append(new Uint8Array(5 * MB));
    await expect(writer.ready).rejects.toBe(full);
    await expect(writer.toBlob('audio/mpeg')).rejects.toBe(full);
  });
});
