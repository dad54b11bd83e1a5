import { ID3Writer } from 'browser-id3-writer';
import type { MetadataTags } from 'mediabunny';
import { BlobWriter, type Spill } from '../blob-writer';
import { addLameTag, LAME_TAG_SIZE, type GaplessInfo } from '../lame-tag';
import { Mp3FrameError } from './frames';
import { layer3FrameLength, layer3FrameLengthAt, MAX_BITRATE_INDEX, sideInfoBytes } from './frame-header';

/** "Info" or "Xing", flags, frame count, byte count, seek table and quality, before the LAME tag. */
const XING_FIELDS_BYTES = 4 + 4 + 4 + 4 + 100 + 4;
const XING_FLAGS_FRAMES_BYTES_TOC = 0x7;
const ID3_COVER_FRONT = 3;

/** The ID3v2 tag for `tags`, empty if there are none. A cover whose image type the tag can't name is left out. */
function id3Tag(tags: MetadataTags): Uint8Array {
  const cover = tags.images?.[0];
  if (!tags.title && !tags.artist && !tags.album && !cover) return new Uint8Array(0);
  const tag = (withCover: boolean) => {
    const writer = new ID3Writer(new ArrayBuffer(0));
    if (tags.title) writer.setFrame('TIT2', tags.title);
    if (tags.artist) writer.setFrame('TPE1', [tags.artist]);
    if (tags.album) writer.setFrame('TALB', tags.album);
    if (cover && withCover) writer.setFrame('APIC', { type: ID3_COVER_FRONT, data: cover.data.slice().buffer, description: '' });
    return new Uint8Array(writer.addTag());
  };
  try {
    return tag(true);
  } catch {
    return tag(false);
  }
}

/**
 * An MP3 file written as its frames come, without holding them: they go out of memory (a Blob, or disk)
 * in parts. The ID3 tag and the Info frame, which need to know the whole, are put in front at the end.
 */
export class Mp3Writer {
  private readonly frames: BlobWriter;
  /** Where each frame starts among the frames' bytes, for the Info frame's seek table. */
  private starts = new Uint32Array(4096);
  private count = 0;
  private firstHeader: Uint8Array | undefined;
  private constantBitrate = true;

  /** `spill`: where finished parts of the file go, out of memory. */
  constructor(spill?: Spill) {
    this.frames = new BlobWriter(spill);
  }

  get frameCount(): number {
    return this.count;
  }

  /** Resolves once what was written so far has gone out of memory; rejects if it couldn't (a full disk). */
  get ready(): Promise<unknown> {
    return this.frames.ready;
  }

  /** Appends whole Layer III frames, copied: `bytes` may be reused once this returns. */
  write(bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length; ) {
      const length = layer3FrameLengthAt(bytes, offset);
      if (length === 0 || offset + length > bytes.length) {
        throw new Mp3FrameError(`no whole MP3 frame at byte ${this.frames.size + offset} of the sound`);
      }
      if (!this.firstHeader) this.firstHeader = bytes.slice(offset, offset + 4);
      else if (bytes[offset + 2]! >> 4 !== this.firstHeader[2]! >> 4) this.constantBitrate = false;
      this.recordStart(this.frames.size + offset);
      offset += length;
    }
    this.frames.append(bytes);
  }

  /**
   * The file: ID3 tag, Info frame (frame and byte counts, seek table) and the frames. With `lameTag`,
   * the Info frame carries a LAME tag saying how many samples to trim at each end.
   */
  async toBlob(tags: MetadataTags, lameTag?: { gapless: GaplessInfo; bitrateKbps?: number }): Promise<Blob> {
    const frames = await this.frames.toBlob('');
    const info = this.infoFrame(frames.size);
    const tagged = lameTag
      ? addLameTag(info, lameTag.gapless, { vbrMethod: this.constantBitrate ? 1 : 0, bitrateKbps: lameTag.bitrateKbps ?? 0, toc: 'keep' })
      : info;
    return new Blob([id3Tag(tags) as BlobPart, tagged as BlobPart, frames], { type: 'audio/mpeg' });
  }

  private recordStart(start: number): void {
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(2 * this.starts.length);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = start;
  }

  /** A frame like the first, with no sound and room for the Xing fields and a LAME tag ("Info" when every frame has one bitrate). */
  private infoFrame(framesBytes: number): Uint8Array {
    const first = this.firstHeader;
    if (!first) throw new Mp3FrameError('no MP3 frames were written');
    const version = (first[1]! >> 3) & 3;
    const rateIndex = (first[2]! >> 2) & 3;
    const mono = first[3]! >> 6 === 3;
    const xingOffset = 4 + sideInfoBytes(version, mono);
    // The stream's own bitrate, as LAME does, unless a frame of it is too short for the fields (the highest always holds them).
    let bitrateIndex = first[2]! >> 4;
    while (bitrateIndex < MAX_BITRATE_INDEX && layer3FrameLength(version, bitrateIndex, rateIndex, 0) < xingOffset + XING_FIELDS_BYTES + LAME_TAG_SIZE) bitrateIndex++;
    const length = layer3FrameLength(version, bitrateIndex, rateIndex, 0);
    const frame = new Uint8Array(length);
    // No CRC; the first frame's version, layer, rate, private bit, channel mode and flags.
    frame.set([0xff, first[1]! | 1, (bitrateIndex << 4) | (rateIndex << 2) | (first[2]! & 1), first[3]!]);
    const view = new DataView(frame.buffer);
    let at = xingOffset;
    for (const char of this.constantBitrate ? 'Info' : 'Xing') frame[at++] = char.charCodeAt(0);
    view.setUint32(at, XING_FLAGS_FRAMES_BYTES_TOC);
    view.setUint32(at + 4, this.count);
    const bytes = length + framesBytes;
    view.setUint32(at + 8, bytes);
    at += 12;
    for (let percent = 0; percent < 100; percent++) {
      const start = length + this.starts[Math.floor((percent * this.count) / 100)]!;
      frame[at + percent] = Math.min(255, Math.floor((256 * start) / bytes));
    }
    return frame;
  }
}
