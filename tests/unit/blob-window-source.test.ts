import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_FORMATS, BlobSource, CustomSource, EncodedPacketSink, Input, type Source } from 'mediabunny';
import {
  BlobWindowReader,
  blobWindowSource,
  openInput,
  type BlobWindowOptions,
  type ReadableBlob,
} from '../../utils/engines/local/blob-window-source';

const KB = 1024;
const SMALL: BlobWindowOptions = { windowBytes: 64 * KB, windows: 2, maxSkipBytes: 128 * KB };

function randomBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** A Blob whose streams are plain (not byte) streams handing out chunks of uneven size, as some browsers' are. */
function chunkStreamBlob(bytes: Uint8Array<ArrayBuffer>): ReadableBlob {
  const sliceOf = (start = 0, end = bytes.length) => {
    const part = bytes.subarray(start, end);
    return {
      size: part.length,
      arrayBuffer: () => Promise.resolve(part.slice().buffer),
      slice: (from?: number, to?: number) => new Blob([part.slice(from, to)]),
      stream: () => {
        let at = 0;
        let step = 1;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (at >= part.length) return controller.close();
            step = ((step * 7) % 50_000) + 1_000;
            controller.enqueue(part.slice(at, at + step));
            at += step;
          },
        });
      },
    };
  };
  return { size: bytes.length, slice: (start?: number, end?: number) => sliceOf(start, end) as unknown as Blob };
}

const DATA = randomBytes(1_000_000);
const blobs: [string, ReadableBlob][] = [
  ['a Blob (byte stream)', new Blob([DATA])],
  ['a plain stream of uneven chunks', chunkStreamBlob(DATA)],
];

type Read = [start: number, end: number];
const patterns: [string, Read[]][] = [
  ['small reads in order, with gaps', Array.from({ length: 200 }, (_, i): Read => [i * 4_000 + 100, i * 4_000 + 700])],
  ['reads across the window’s end', Array.from({ length: 40 }, (_, i): Read => [i * 24_000, i * 24_000 + 20_000])],
  [
    'a jump ahead too far to read through',
    [
      [0, 10],
      [500_000, 500_100],
      [500_100, 500_200],
    ],
  ],
  [
    'going back',
    [
      [600_000, 600_050],
      [100, 200],
      [599_000, 601_000],
      [50, 60],
    ],
  ],
  [
    'two readers far apart, taking turns',
    Array.from({ length: 60 }, (_, i): Read =>
      i % 2 ? [700_000 + i * 1_000, 700_000 + i * 1_000 + 300] : [i * 1_000, i * 1_000 + 300],
    ),
  ],
  [
    'three readers, one more than there are windows',
    Array.from({ length: 30 }, (_, i): Read => [(i % 3) * 300_000 + i * 500, (i % 3) * 300_000 + i * 500 + 100]),
  ],
  [
    'a read longer than a window',
    [
      [10, 200_010],
      [5, 15],
    ],
  ],
  [
    'the last byte',
    [
      [999_999, 1_000_000],
      [0, 1_000_000],
    ],
  ],
  [
    'the same bytes twice',
    [
      [1_000, 2_000],
      [1_000, 2_000],
      [1_500, 1_600],
    ],
  ],
];

describe('BlobWindowReader', () => {
  describe.each(blobs)('over %s', (_, blob) => {
    it.each(patterns)('%s, one read at a time', async (_, reads) => {
      const reader = new BlobWindowReader(blob, SMALL);
      for (const [start, end] of reads)
        expect(Buffer.from(await reader.read(start, end)).equals(DATA.subarray(start, end)), `${start}–${end}`).toBe(
          true,
        );
      reader.dispose();
    });

    it.each(patterns)('%s, all asked for at once', async (_, reads) => {
      const reader = new BlobWindowReader(blob, SMALL);
      // Async results are copies: they stay right however the windows move afterwards.
      const results = await Promise.all(
        reads.map(([start, end]) => Promise.resolve(reader.read(start, end)).then((bytes) => bytes.slice())),
      );
      results.forEach((bytes, i) => expect(Buffer.from(bytes).equals(DATA.subarray(...reads[i]!))).toBe(true));
      reader.dispose();
    });
  });

  it('gives bytes a window holds at once, without waiting', async () => {
    const reader = new BlobWindowReader(new Blob([DATA]), SMALL);
    await reader.read(0, 100);
    const held = reader.read(50, 100);
    expect(held).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(held as Uint8Array).equals(DATA.subarray(50, 100))).toBe(true);
    reader.dispose();
  });

  it('reports a file that ends early as an error, and reads on afterwards', async () => {
    const short = new Blob([DATA.subarray(0, 1_000)]);
    const lying: ReadableBlob = { size: DATA.length, slice: (start, end) => short.slice(start, end) };
    const reader = new BlobWindowReader(lying, SMALL);
    await expect(Promise.resolve(reader.read(500, 5_000))).rejects.toThrow(/ended/);
    expect(Buffer.from(await reader.read(0, 10)).equals(DATA.subarray(0, 10))).toBe(true);
    reader.dispose();
  });
});

describe('blobWindowSource gives mediabunny the same packets as its BlobSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blob-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every packet of every track, read in turn from each track (so reads jump between the tracks' data), all kept until the end. */
  async function allPackets(source: Source): Promise<Uint8Array[]> {
    const input = new Input({ source, formats: ALL_FORMATS });
    try {
      const sinks = (await input.getTracks()).map((track) => new EncodedPacketSink(track));
      const packets: Uint8Array[] = [];
      const cursors = sinks.map((sink) => sink.packets()[Symbol.asyncIterator]());
      let open = cursors.length;
      while (open > 0) {
        open = 0;
        for (const cursor of cursors) {
          const next = await cursor.next();
          if (next.done) continue;
          open++;
          packets.push(next.value.data);
        }
      }
      return packets;
    } finally {
      input.dispose();
    }
  }

  const videos: [string, string, string[]][] = [
    ['MP4, index at the end', 'mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac']],
    ['MP4, index first', 'mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', '+faststart']],
    [
      'fragmented MP4',
      'mp4',
      ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', 'frag_keyframe+empty_moov'],
    ],
    ['WebM', 'webm', ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus']],
    ['MPEG-TS', 'ts', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac']],
  ];

  it.each(videos)('%s', async (name, extension, args) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.${extension}`);
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25:duration=6',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=6',
      ...args,
      '-b:v',
      '2M',
      file,
    ]);
    const blob = new Blob([readFileSync(file)]);
    const expected = await allPackets(new BlobSource(blob));
    const actual = await allPackets(blobWindowSource(blob, SMALL));
    expect(expected.length).toBeGreaterThan(300);
    expect(actual.length).toBe(expected.length);
    actual.forEach((packet, i) => expect(Buffer.from(packet).equals(expected[i]!), `packet ${i}`).toBe(true));
  });
});

describe('openInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'open-input-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['an MP4', 'windows', 'mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'], CustomSource],
    ['a QuickTime movie', 'windows', 'mov', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'], CustomSource],
    [
      'an MPEG-TS file (tiny reads)',
      'BlobSource',
      'ts',
      ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'],
      BlobSource,
    ],
    [
      'a Matroska file (whole clusters)',
      'BlobSource',
      'mkv',
      ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'],
      BlobSource,
    ],
    ['an MP3 (overlapping reads)', 'BlobSource', 'mp3', ['-vn', '-c:a', 'libmp3lame'], BlobSource],
    ['something that is no media file', 'BlobSource', 'bin', [], BlobSource],
  ] as const)('reads %s through %s', async (_, __, extension, args, sourceClass) => {
    const file = join(dir, `input.${extension}`);
    if (args.length === 0) writeFileSync(file, randomBytes(10_000));
    else
      execFileSync('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=160x120:rate=25:duration=1',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000:duration=1',
        ...args,
        file,
      ]);
    const input = await openInput(new Blob([readFileSync(file)]));
    expect(input.source).toBeInstanceOf(sourceClass);
    input.dispose();
  });
});

/**
 * A Blob whose first `stallingStreams` streams give `stallAfter` bytes and then never answer again,
 * as Chromium's streams of stored Blobs now and then do; the streams after that read to the end.
 */
function stallingBlob(
  bytes: Uint8Array<ArrayBuffer>,
  { byteStream, stallAfter, stallingStreams }: { byteStream: boolean; stallAfter: number; stallingStreams: number },
) {
  let opened = 0;
  const blob: ReadableBlob = {
    size: bytes.length,
    slice: (start = 0) => {
      const part = bytes.subarray(start);
      return {
        stream: () => {
          const stalls = opened++ < stallingStreams;
          let at = 0;
          const next = (limit: number) => {
            if (stalls && at >= stallAfter) return new Promise<never>(() => {});
            const end = Math.min(part.length, at + limit, stalls ? stallAfter : Infinity);
            const chunk = part.subarray(at, end);
            at = end;
            return chunk;
          };
          if (!byteStream) {
            return new ReadableStream<Uint8Array>({
              async pull(controller) {
                if (at >= part.length) return controller.close();
                controller.enqueue((await next(7_000)).slice());
              },
            });
          }
          return new ReadableStream({
            type: 'bytes',
            async pull(controller) {
              if (at >= part.length) {
                controller.close();
                controller.byobRequest?.respond(0);
                return;
              }
              const request = controller.byobRequest!;
              const view = request.view!;
              const chunk = await next(Math.min(view.byteLength, 7_000));
              new Uint8Array(view.buffer, view.byteOffset, chunk.length).set(chunk);
              request.respond(chunk.length);
            },
          });
        },
      } as unknown as Blob;
    },
  };
  return { blob, opened: () => opened };
}

describe('BlobWindowReader, when a stream of the file stops answering', () => {
  const QUICK: BlobWindowOptions = { ...SMALL, stalledReadMs: 30 };

  it.each([
    ['a byte stream', true],
    ['a plain stream', false],
  ])('over %s, opens it again where it stood and reads on', async (_, byteStream) => {
    const { blob, opened } = stallingBlob(DATA, { byteStream, stallAfter: 150_000, stallingStreams: 2 });
    const reader = new BlobWindowReader(blob, QUICK);
    for (let start = 0; start < 400_000; start += 10_000) {
      expect(
        Buffer.from(await reader.read(start, start + 10_000)).equals(DATA.subarray(start, start + 10_000)),
        `${start}`,
      ).toBe(true);
    }
    // The first stream stalls at 150,000 bytes, the second as soon as it opens; the third reads on.
    expect(opened()).toBe(3);
    reader.dispose();
  });

  it('gives up after four streams in a row stall, and says so', async () => {
    const { blob, opened } = stallingBlob(DATA, { byteStream: true, stallAfter: 0, stallingStreams: 10 });
    const reader = new BlobWindowReader(blob, QUICK);
    await expect(Promise.resolve(reader.read(0, 100))).rejects.toThrow(/stopped giving its bytes/);
    expect(opened()).toBe(4);
    reader.dispose();
  });
});
