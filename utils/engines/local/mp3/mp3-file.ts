import { EncodedAudioPacketSource, EncodedPacket, Mp3OutputFormat, Output, StreamTarget, type MetadataTags, type StreamTargetChunk } from 'mediabunny';
import { BlobWriter, overwrite, type Spill } from '../blob-writer';
import { patchMediabunnyXingFrame } from '../lame-tag';
import { SAMPLES_PER_FRAME } from './frames';

const WRITE_CHUNK_BYTES = 1024 * 1024;

/** An MP3 file being written: mediabunny's muxer (ID3 title, Xing frame) into Blobs, patched with a LAME tag at the end. */
export class Mp3File {
  private readonly writer: BlobWriter;
  private xingFrame: { data: Uint8Array; position: number } | undefined;
  readonly output: Output;

  /** `spill`: where finished parts of the file go, out of memory. */
  constructor(spill?: Spill) {
    const writer = (this.writer = new BlobWriter(spill));
    const target = new StreamTarget(
      new WritableStream<StreamTargetChunk>({
        async write(chunk) {
          // The muxer goes back only to rewrite the Xing frame; we patch that from onXingFrame below.
          if (chunk.position === writer.size) await writer.append(chunk.data);
          else if (chunk.position > writer.size) throw new Error('MP3 writer skipped ahead');
        },
      }),
      // Ten thousand frame-sized writes through the stream cost more than encoding a segment.
      { chunked: true, chunkSize: WRITE_CHUNK_BYTES },
    );
    this.output = new Output({
      format: new Mp3OutputFormat({ onXingFrame: (data, position) => (this.xingFrame = { data: data.slice(), position }) }),
      target,
    });
  }

  /** The file, its Xing frame rewritten by `patch` (same length). */
  async toBlob(patch: (xingFrame: Uint8Array) => Uint8Array): Promise<Blob> {
    const mp3 = await this.writer.toBlob('audio/mpeg');
    if (!this.xingFrame) return mp3;
    return overwrite(mp3, this.xingFrame.position, patch(this.xingFrame.data));
  }

  /** For audio our LAME encoded from `encodedSamples` samples: the LAME tag says how to trim it back to them. */
  toLameBlob(encodedSamples: number, bitrateKbps: number): Promise<Blob> {
    return this.toBlob((xingFrame) => patchMediabunnyXingFrame(xingFrame, { inputSamples: encodedSamples, bitrateKbps }).frame);
  }
}

/** An MP3 file with its tags, started, that takes MP3 frames as packets. */
export async function mp3FileForFrames(tags: MetadataTags, spill?: Spill): Promise<{ file: Mp3File; source: EncodedAudioPacketSource }> {
  const file = new Mp3File(spill);
  const source = new EncodedAudioPacketSource('mp3');
  file.output.addAudioTrack(source);
  file.output.setMetadataTags(tags);
  await file.output.start();
  return { file, source };
}

/**
 * Turns a stream's MP3 frames, given in order, into packets for mediabunny's muxer, timed from
 * `firstTimestamp`; the first one carries the decoder config.
 */
export function mp3FramePackets(
  sampleRate: number,
  numberOfChannels: number,
  firstTimestamp = 0,
): (frame: Uint8Array) => { packet: EncodedPacket; meta: EncodedAudioChunkMetadata | undefined } {
  const frameSeconds = SAMPLES_PER_FRAME / sampleRate;
  let index = 0;
  return (frame) => {
    const packet = new EncodedPacket(frame, 'key', firstTimestamp + index * frameSeconds, frameSeconds);
    const meta = index === 0 ? { decoderConfig: { codec: 'mp3', numberOfChannels, sampleRate } } : undefined;
    index++;
    return { packet, meta };
  };
}
