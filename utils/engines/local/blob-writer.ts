const PART_BYTES = 4 * 1024 * 1024;

/** Moves a part out of memory, returning a Blob that reads the same bytes from where it went (disk). */
export type Spill = (part: Blob) => Promise<Blob>;

const keep: Spill = async (part) => part;

/**
 * Collects an append-only stream of bytes into a Blob, through one 4 MB buffer it keeps: each full
 * part leaves the JS heap as a Blob, and with `spill`, leaves memory altogether, so a long output never
 * sits in memory.
 */
export class BlobWriter {
  private buffer: Uint8Array | undefined;
  private filled = 0;
  private written = 0;
  private readonly parts: Promise<Blob>[] = [];
  private spilled: Promise<unknown> = Promise.resolve();

  constructor(private readonly spill: Spill = keep) {}

  get size(): number {
    return this.written;
  }

  /** Resolves once every full part so far has been spilled; rejects with a spill's error (a full disk). */
  get ready(): Promise<unknown> {
    return this.spilled;
  }

  /** Copies `chunk` in: the caller may reuse its buffer once this returns. */
  append(chunk: Uint8Array): void {
    for (let offset = 0; offset < chunk.length;) {
      const buffer = (this.buffer ??= new Uint8Array(PART_BYTES));
      const count = Math.min(chunk.length - offset, PART_BYTES - this.filled);
      buffer.set(chunk.subarray(offset, offset + count), this.filled);
      this.filled += count;
      offset += count;
      if (this.filled === PART_BYTES) this.cutPart();
    }
    this.written += chunk.length;
  }

  async toBlob(type: string): Promise<Blob> {
    this.cutPart();
    return new Blob(await Promise.all(this.parts), { type });
  }

  private cutPart(): void {
    if (this.filled === 0 || !this.buffer) return;
    // A Blob copies the bytes it is made from, so the buffer can take the next part at once.
    const part = this.spill(new Blob([this.buffer.subarray(0, this.filled) as BlobPart]));
    this.filled = 0;
    this.parts.push(part);
    this.spilled = Promise.all([this.spilled, part]);
    // Its error reaches whoever awaits `ready` or `toBlob`; until then it isn't unhandled.
    this.spilled.catch(() => undefined);
  }
}
