import { BlobWriter, type Spill } from './blob-writer';

/**
 * Collects writes at byte positions, as mediabunny's StreamTarget makes them, into a Blob. Muxers write
 * almost everything in order and go back only to fill in a few small fields (an `mdat` box's size, FLAC's
 * STREAMINFO): the in-order bytes go through a BlobWriter, so they leave memory as they come, and the few
 * rewrites are kept and laid over them at the end.
 */
export class PlacedWrites {
  private readonly appended: BlobWriter;
  private readonly rewrites: { position: number; data: Uint8Array }[] = [];

  constructor(spill?: Spill) {
    this.appended = new BlobWriter(spill);
  }

  get ready(): Promise<unknown> {
    return this.appended.ready;
  }

  write(data: Uint8Array, position: number): void {
    const end = this.appended.size;
    if (position > end) this.appended.append(new Uint8Array(position - end));
    const overlap = Math.max(0, Math.min(data.length, end - position));
    // Kept as a copy: the writer may reuse its buffer once this returns.
    if (overlap > 0) this.rewrites.push({ position, data: data.slice(0, overlap) });
    if (overlap < data.length) this.appended.append(data.subarray(overlap));
  }

  async toBlob(type: string): Promise<Blob> {
    let blob = await this.appended.toBlob('');
    for (const { position, data } of this.rewrites) {
      blob = new Blob([blob.slice(0, position), data as BlobPart, blob.slice(position + data.length)]);
    }
    return new Blob([blob], { type });
  }
}
