const FLUSH_BYTES = 4 * 1024 * 1024;

/** Moves a part out of memory, returning a Blob that reads the same bytes from where it went (disk). */
export type Spill = (part: Blob) => Promise<Blob>;

/**
 * Collects an append-only stream of chunks into a Blob, moving them out of the JS heap every few MB,
 * and with `spill`, out of memory altogether, so a long output never sits in memory.
 */
export class BlobWriter {
  private parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;

  constructor(private readonly spill?: Spill) {}

  get size(): number {
    return this.written;
  }

  async append(chunk: Uint8Array): Promise<void> {
    this.pending.push(chunk.slice());
    this.pendingBytes += chunk.byteLength;
    this.written += chunk.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  async toBlob(type: string): Promise<Blob> {
    await this.flush();
    return new Blob(this.parts, { type });
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const part = new Blob(this.pending as BlobPart[]);
    this.pending = [];
    this.pendingBytes = 0;
    this.parts.push(this.spill ? await this.spill(part) : part);
  }
}

/** `blob` with `bytes` written over it at `position` (same length). */
export function overwrite(blob: Blob, position: number, bytes: Uint8Array): Blob {
  return new Blob([blob.slice(0, position), bytes as BlobPart, blob.slice(position + bytes.byteLength)], { type: blob.type });
}
