import { ALL_FORMATS, BlobSource, CustomSource, Input, IsobmffInputFormat } from 'mediabunny';
import { within } from '../../timing/timeout';

/** What the windows need of a Blob; tests pass look-alikes whose streams aren't byte streams. */
export type ReadableBlob = Pick<Blob, 'size' | 'slice'>;

export interface BlobWindowOptions {
  /** Bytes each window holds; a read longer than this is a one-off `slice()`. */
  windowBytes: number;
  /** How many sequential readers run at once (sound, and a video frame for the cover, read far apart). */
  windows: number;
  /** How far a read may jump ahead of a window before it is cheaper to open a new reader than to read through. */
  maxSkipBytes: number;
  /** How long one read of the stream may take before it is given up and the stream opened again from where it was. */
  stalledReadMs?: number;
}

const DEFAULT_BLOB_WINDOWS: BlobWindowOptions = { windowBytes: 1 << 20, windows: 2, maxSkipBytes: 4 << 20 };

/**
 * Chromium now and then stops answering a stream of a Blob stored in IndexedDB: a read that never
 * settles, at any point of the file (about one conversion of a 2 GB video in ten to thirty, on our
 * test machine). Reads of stored files take milliseconds; a stream opened again where the stalled
 * one stood reads on with the same bytes.
 */
const STALLED_READ_MS = 5_000;
/** Streams opened again for one read before its window gives up: the job's own stall limit then stops it. */
const MAX_REOPENS = 3;

type StreamReader =
  | { readsInPlace: true; reader: ReadableStreamBYOBReader }
  | { readsInPlace: false; reader: ReadableStreamDefaultReader<Uint8Array> };

function openStream(blob: ReadableBlob, position: number): StreamReader {
  const stream = blob.slice(position).stream();
  try {
    return { readsInPlace: true, reader: stream.getReader({ mode: 'byob' }) };
  } catch {
    return { readsInPlace: false, reader: stream.getReader() };
  }
}

const STALLED = Symbol('stalled');

/**
 * The read's result; or, if it hasn't settled within `ms`, what it settles to once its reader is
 * cancelled: done, and for a BYOB read no view, so the buffer it was lent is gone.
 */
async function readWithin<T>(
  read: Promise<T>,
  reader: ReadableStreamGenericReader,
  ms: number,
): Promise<{ result: T; stalled: boolean }> {
  const first = await within(read, ms, (): typeof STALLED => STALLED);
  if (first !== STALLED) return { result: first, stalled: false };
  // Cancelling settles the pending read at once; the source's own cancelling may hang as its reads did.
  void reader.cancel().catch(() => undefined);
  return { result: await read, stalled: true };
}

/**
 * One stream reader over a Blob, filling one reusable buffer that holds the bytes [start, end).
 * A byte-stream reader reads straight into that buffer, so reading through a file allocates nothing;
 * other streams hand over chunks, which are copied in and dropped at once.
 */
class BlobWindow {
  start: number;
  end: number;
  lastUsed = 0;
  private buffer: ArrayBuffer;
  /** Reads on from `end`; undefined after a stalled read, until the next fill opens it again. */
  private stream: StreamReader | undefined;
  /** What a default reader's last chunk had beyond the buffer's free space. */
  private leftover: Uint8Array | undefined;

  constructor(
    private readonly blob: ReadableBlob,
    position: number,
    private readonly capacity: number,
    private readonly stalledReadMs: number,
  ) {
    this.start = this.end = position;
    this.buffer = new ArrayBuffer(capacity);
    this.stream = openStream(blob, position);
  }

  holds(start: number, end: number): boolean {
    return start >= this.start && end <= this.end;
  }

  reaches(start: number, maxSkipBytes: number): boolean {
    return start >= this.start && start <= this.end + maxSkipBytes;
  }

  /** The bytes in place: valid only until the window next moves. */
  view(start: number, end: number): Uint8Array {
    return new Uint8Array(this.buffer, start - this.start, end - start);
  }

  /** Reads on until the window holds [start, end), dropping what comes before `start`. */
  async extendTo(start: number, end: number): Promise<void> {
    while (this.end < end) {
      this.dropBefore(Math.min(start, this.end));
      await this.fill();
    }
  }

  close(): void {
    void this.stream?.reader.cancel().catch(() => {});
  }

  private dropBefore(position: number): void {
    if (position <= this.start) return;
    new Uint8Array(this.buffer).copyWithin(0, position - this.start, this.end - this.start);
    this.start = position;
  }

  /** Reads what the stream gives next into the free space; a stalled read is tried again on a stream opened anew. */
  private async fill(): Promise<void> {
    for (let reopens = 0; ; reopens++) {
      const stream = (this.stream ??= openStream(this.blob, this.end));
      const before = this.end;
      const stalled = stream.readsInPlace
        ? await this.fillInPlace(stream.reader)
        : await this.fillFromChunk(stream.reader);
      if (!stalled) return;
      this.stream = undefined;
      if (this.end > before) return;
      if (reopens === MAX_REOPENS)
        throw new Error(`The stored file stopped giving its bytes, ${MAX_REOPENS + 1} times.`);
    }
  }

  /** Whether the read stalled (and its stream was cancelled); a BYOB read may still have brought bytes. */
  private async fillInPlace(reader: ReadableStreamBYOBReader): Promise<boolean> {
    const used = this.end - this.start;
    const free = new Uint8Array(this.buffer, used, this.buffer.byteLength - used);
    const { result, stalled } = await readWithin(reader.read(free), reader, this.stalledReadMs);
    if (!result.value) {
      // The buffer went to the stream and didn't come back: the window starts again, empty, where it was.
      this.buffer = new ArrayBuffer(this.capacity);
      this.end = this.start;
      if (stalled) return true;
      throw new Error('The file ended before the bytes asked for.');
    }
    this.buffer = result.value.buffer;
    this.end += result.value.byteLength;
    if (result.done && !stalled) throw new Error('The file ended before the bytes asked for.');
    return stalled;
  }

  private async fillFromChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
    const used = this.end - this.start;
    const free = new Uint8Array(this.buffer, used, this.buffer.byteLength - used);
    let chunk = this.leftover;
    if (!chunk) {
      const { result, stalled } = await readWithin(reader.read(), reader, this.stalledReadMs);
      // A chunk that came as the read was given up is dropped: the next stream starts where this one stood.
      if (stalled) return true;
      if (result.done) throw new Error('The file ended before the bytes asked for.');
      chunk = result.value;
    }
    const taken = Math.min(chunk.byteLength, free.byteLength);
    free.set(chunk.subarray(0, taken));
    this.leftover = taken < chunk.byteLength ? chunk.subarray(taken) : undefined;
    this.end += taken;
    return false;
  }
}

/**
 * Reads a Blob for mediabunny through a few sequential windows of fixed size.
 *
 * mediabunny's BlobSource keeps every chunk its stream reader returns in its cache; a demuxer
 * reading an MP4's sound reads the video between the sound packets too, so the whole file passes
 * through chunks that outlive V8's young generation and wait for a full garbage collection, about
 * 60–100 MB at a time. Here the file passes through a few reused buffers.
 *
 * A read the windows already hold is answered at once with the bytes in place, valid until the next
 * read; one that has to wait gets a copy, since other reads may move the windows meanwhile.
 */
export class BlobWindowReader {
  private readonly windows: BlobWindow[] = [];
  private pending: Promise<unknown> = Promise.resolve();
  private busy = 0;
  private clock = 0;

  constructor(
    private readonly blob: ReadableBlob,
    private readonly options: BlobWindowOptions = DEFAULT_BLOB_WINDOWS,
  ) {}

  read(start: number, end: number): Uint8Array | Promise<Uint8Array> {
    // Windows move only inside `pending`: while nothing is queued, what they hold stays put.
    if (this.busy === 0) {
      const window = this.windows.find((candidate) => candidate.holds(start, end));
      if (window) return this.viewOf(window, start, end);
    }
    this.busy++;
    const result = this.pending.then(async () => {
      try {
        return await this.readQueued(start, end);
      } finally {
        this.busy--;
      }
    });
    this.pending = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    for (const window of this.windows.splice(0)) window.close();
  }

  private async readQueued(start: number, end: number): Promise<Uint8Array> {
    if (end - start > this.options.windowBytes) return new Uint8Array(await this.blob.slice(start, end).arrayBuffer());
    const window =
      this.windows.find((candidate) => candidate.holds(start, end)) ??
      this.windows.find((candidate) => candidate.reaches(start, this.options.maxSkipBytes)) ??
      this.openWindow(start);
    try {
      await window.extendTo(start, end);
    } catch (error) {
      this.windows.splice(this.windows.indexOf(window), 1);
      window.close();
      throw error;
    }
    return this.viewOf(window, start, end).slice();
  }

  private openWindow(position: number): BlobWindow {
    if (this.windows.length >= this.options.windows) {
      const leastRecent = this.windows.reduce((a, b) => (a.lastUsed <= b.lastUsed ? a : b));
      this.windows.splice(this.windows.indexOf(leastRecent), 1);
      leastRecent.close();
    }
    const window = new BlobWindow(
      this.blob,
      position,
      this.options.windowBytes,
      this.options.stalledReadMs ?? STALLED_READ_MS,
    );
    this.windows.push(window);
    return window;
  }

  private viewOf(window: BlobWindow, start: number, end: number): Uint8Array {
    window.lastUsed = ++this.clock;
    return window.view(start, end);
  }
}

/**
 * mediabunny's cache is off: the windows are the cache, and what a read returns in place is copied
 * by mediabunny into the slice it was asked for before anything else runs.
 */
export function blobWindowSource(blob: Blob, options: BlobWindowOptions = DEFAULT_BLOB_WINDOWS): CustomSource {
  const reader = new BlobWindowReader(blob, options);
  return new CustomSource({
    getSize: () => blob.size,
    read: (start, end) => reader.read(start, end),
    dispose: () => reader.dispose(),
    maxCacheSize: 0,
    prefetchProfile: 'none',
  });
}

/**
 * A mediabunny Input for `blob`: MP4 and QuickTime files read through windows. Other containers
 * keep mediabunny's BlobSource: MPEG-TS and MP3 are read in many tiny or overlapping reads that
 * its cache answers at once, and Matroska in whole clusters, so windows don't help them.
 */
export async function openInput(blob: Blob): Promise<Input> {
  // Opened through windows first: MP4, the usual case, is then read from the start once.
  const input = new Input({ source: blobWindowSource(blob), formats: ALL_FORMATS });
  const isobmff = await input.getFormat().then(
    (format) => format instanceof IsobmffInputFormat,
    () => false,
  );
  if (isobmff) return input;
  input.dispose();
  return new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
}
