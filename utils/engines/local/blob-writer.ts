const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * Collects an append-only stream of chunks into a Blob, moving them out of the JS heap
 * every few MB so a long output never sits in memory as one buffer.
 */
export class BlobWriter {
  private parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;

  get size(): number {
    return this.written;
  }

  append(chunk: Uint8Array): void {
    this.pending.push(chunk.slice());
    this.pendingBytes += chunk.byteLength;
    this.written += chunk.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  toBlob(type: string): Blob {
    this.flush();
    return new Blob(this.parts, { type });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(new Blob(this.pending as BlobPart[]));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** `blob` with `bytes` written over it at `position` (same length). */
export function overwrite(blob: Blob, position: number, bytes: Uint8Array): Blob {
  return new Blob([blob.slice(0, position), bytes as BlobPart, blob.slice(position + bytes.byteLength)], { type: blob.type });
}
