import { ID3Writer } from 'browser-id3-writer';
import type { MetadataTags } from 'mediabunny';
import { BlobWriter, type Spill } from '../blob-writer';
import { Mp3FrameError } from './frames';
import { layer3FrameLengthAt } from './frame-header';
import { infoFrame, type LameTagFields } from './info-frame';
import type { Mp3Chapter } from '../chapters/chapter';

const ID3_COVER_FRONT = 3;

/**
 * The ID3v2 tag for `tags` and `chapters`, empty if there are none. A cover whose image type the tag
 * can't name is left out. Chapters are CHAP frames (ID3v2 Chapter Frame Addendum) listed in order by
 * one top-level CTOC frame, as podcast apps and ffmpeg read them.
 */
export function id3Tag(tags: MetadataTags, chapters: readonly Mp3Chapter[] = []): Uint8Array {
  const cover = tags.images?.[0];
  if (!tags.title && !tags.artist && !tags.album && !tags.trackNumber && !cover && chapters.length === 0)
    return new Uint8Array(0);
  const tag = (withCover: boolean) => {
    const writer = new ID3Writer(new ArrayBuffer(0));
    if (tags.title) writer.setFrame('TIT2', tags.title);
    if (tags.artist) writer.setFrame('TPE1', [tags.artist]);
    if (tags.album) writer.setFrame('TALB', tags.album);
    if (tags.trackNumber)
      writer.setFrame('TRCK', `${tags.trackNumber}${tags.tracksTotal ? `/${tags.tracksTotal}` : ''}`);
    if (cover && withCover)
      writer.setFrame('APIC', { type: ID3_COVER_FRONT, data: cover.data.slice().buffer, description: '' });
    // A CTOC frame lists at most 255 chapters.
    const listed = chapters.slice(0, 255);
    listed.forEach((chapter, index) =>
      writer.setFrame('CHAP', {
        id: `chp${index}`,
        startTime: chapter.startMs,
        endTime: chapter.endMs,
        subFrames: chapter.title ? { TIT2: chapter.title } : {},
      }),
    );
    if (listed.length > 0)
      writer.setFrame('CTOC', {
        id: 'toc',
        ordered: true,
        topLevel: true,
        childElementIds: listed.map((_, index) => `chp${index}`),
      });
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
    for (let offset = 0; offset < bytes.length;) {
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
  async toBlob(tags: MetadataTags, lameTag?: LameTagFields, chapters: readonly Mp3Chapter[] = []): Promise<Blob> {
    const frames = await this.frames.toBlob('');
    if (!this.firstHeader) throw new Mp3FrameError('no MP3 frames were written');
    const info = infoFrame(
      {
        firstHeader: this.firstHeader,
        constantBitrate: this.constantBitrate,
        frameCount: this.count,
        frameStarts: this.starts,
        framesBytes: frames.size,
      },
      lameTag,
    );
    return new Blob([id3Tag(tags, chapters) as BlobPart, info as BlobPart, frames], { type: 'audio/mpeg' });
  }

  private recordStart(start: number): void {
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(2 * this.starts.length);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = start;
  }
}
