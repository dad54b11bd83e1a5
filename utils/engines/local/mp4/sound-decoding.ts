import { BlobWindowReader, type ReadableBlob } from '../blob-window-source';
import { KeptArrays } from '../kept-arrays';
import { soundPackets, type SoundTable } from './sound-table';
import type { DecodedPcm } from '../audio-planes';

/** Packets handed to the decoder and not yet decoded, at most: enough to keep it busy, few enough to hold little. */
const MAX_QUEUED_PACKETS = 8;

/** AAC packets of a track come in a few hundred sizes at most. */
const MAX_PACKET_SIZES_KEPT = 1024;

/** One window over the file: the packets are read in order, and the video between them passes through it. */
const PACKET_WINDOW = { windowBytes: 1 << 20, windows: 1, maxSkipBytes: 4 << 20 };

/**
 * Times decoded audio as mediabunny does: from the first packet's timestamp (Chromium ignores negative
 * ones), then by the frames decoded, re-syncing only if the decoder's own timestamps jump.
 */
class DecodedTimeline {
  private next: number | null = null;
  private offsetSeconds = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly firstPacketSeconds: number,
  ) {}

  place(data: AudioData): number {
    if (this.next === null) this.offsetSeconds = this.firstPacketSeconds - data.timestamp / 1e6;
    const reported = Math.round((data.timestamp / 1e6 + this.offsetSeconds) * this.sampleRate);
    if (this.next === null || Math.abs(reported - this.next) >= data.numberOfFrames) this.next = reported;
    const frame = this.next;
    this.next += data.numberOfFrames;
    return frame / this.sampleRate;
  }
}

/**
 * Decodes the track's packets with WebCodecs from `startSeconds` (one packet earlier, so the decoder
 * has what overlaps into the first one) to the end. Packet bytes go from the file's window straight
 * into the decoder; nothing is kept per packet.
 */
export async function* decodeSoundTable(
  blob: ReadableBlob,
  table: SoundTable,
  config: AudioDecoderConfig,
  startSeconds: number,
): AsyncGenerator<DecodedPcm> {
  const ready: AudioData[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const decoder = new AudioDecoder({
    output: (data) => {
      ready.push(data);
      notify();
    },
    error: (error) => {
      failure = error;
      notify();
    },
  });
  decoder.configure(config);
  const reader = new BlobWindowReader(blob, PACKET_WINDOW);
  const startTick = startSeconds * table.timescale + table.editOffset;
  let timeline: DecodedTimeline | undefined;

  function* drain(): Generator<DecodedPcm> {
    while (ready.length > 0) {
      const data = ready.shift()!;
      try {
        if (data.sampleRate !== config.sampleRate || data.numberOfChannels !== config.numberOfChannels) {
          throw new Error(`The decoder gave ${data.numberOfChannels} channels at ${data.sampleRate} Hz, the file says ${config.numberOfChannels} at ${config.sampleRate} Hz.`);
        }
        const timestamp = timeline!.place(data);
        yield { timestamp, numberOfFrames: data.numberOfFrames, copyTo: (destination, options) => data.copyTo(destination, options) };
      } finally {
        data.close();
      }
    }
  }

  // Packet bytes go to the decoder through kept arrays, one per packet size, not the window's views.
  const packetBytes = new KeptArrays((size) => new Uint8Array(size), MAX_PACKET_SIZES_KEPT);
  const decode = async (offset: number, size: number, decodeTime: number, duration: number) => {
    const read = reader.read(offset, offset + size);
    const data = packetBytes.get(size);
    data.set(read instanceof Uint8Array ? read : await read);
    const seconds = (decodeTime - table.editOffset) / table.timescale;
    timeline ??= new DecodedTimeline(config.sampleRate, seconds);
    decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: Math.round(seconds * 1e6), duration: Math.round((duration / table.timescale) * 1e6), data }));
  };

  try {
    let preroll: { offset: number; size: number; decodeTime: number; duration: number } | undefined;
    for (const packet of soundPackets(table)) {
      if (packet.decodeTime + packet.duration <= startTick) {
        preroll = { offset: packet.offset, size: packet.size, decodeTime: packet.decodeTime, duration: packet.duration };
        continue;
      }
      if (preroll) {
        await decode(preroll.offset, preroll.size, preroll.decodeTime, preroll.duration);
        preroll = undefined;
      }
      await decode(packet.offset, packet.size, packet.decodeTime, packet.duration);
      while (decoder.decodeQueueSize > MAX_QUEUED_PACKETS && failure === undefined) {
        // Listened to only while waiting: each event a listener gets is one more object for the collector.
        decoder.addEventListener('dequeue', notify, { once: true });
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure !== undefined) throw failure;
      yield* drain();
    }
    if (failure !== undefined) throw failure;
    await decoder.flush();
    yield* drain();
  } finally {
    for (const data of ready.splice(0)) data.close();
    if (decoder.state !== 'closed') decoder.close();
    reader.dispose();
  }
}
