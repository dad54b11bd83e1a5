import { BlobWindowReader, type ReadableBlob } from '../blob-window-source';
import { KeptArrays } from '../kept-arrays';
import { DecodedTimeline } from './decoded-timeline';
import { soundPackets, type SoundTable } from './sound-table';
import type { DecodedPcm } from '../audio-planes';

/**
 * Packets handed to the decoder in one chunk. Chromium's decoder (FFmpeg's) takes raw AAC frames one
 * after another and gives each its own output; a chunk costs a few objects that only a full
 * collection frees, and there are a quarter of a million packets in an hour and a half of sound.
 */
const PACKETS_PER_CHUNK = 16;

/** Chunks handed to the decoder and not yet decoded, at most: enough to keep it busy, few enough to hold little. */
const MAX_QUEUED_CHUNKS = 1;

/** Runs of packets come in many sizes; one kept array per size serves a packet at a time. */
const MAX_PACKET_SIZES_KEPT = 1024;

/** One window over the file: the packets are read in order, and the video between them passes through it. */
const PACKET_WINDOW = { windowBytes: 1 << 20, windows: 1, maxSkipBytes: 4 << 20 };

/**
 * Consecutive packets gathered for one chunk. A run of several goes as a view of the kept buffer (one
 * per chunk); a single packet through a kept array of its size, since a fresh view per packet would
 * leave a wrapper per packet behind (see KeptArrays).
 */
export class PacketRun {
  private bytes = new Uint8Array(16 << 10);
  private readonly single = new KeptArrays((size) => new Uint8Array(size), MAX_PACKET_SIZES_KEPT);
  private size = 0;
  count = 0;
  firstDecodeTime = 0;
  duration = 0;

  add(packet: Uint8Array, decodeTime: number, duration: number): void {
    if (this.size + packet.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.size + packet.length));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    }
    this.bytes.set(packet, this.size);
    if (this.count === 0) this.firstDecodeTime = decodeTime;
    this.size += packet.length;
    this.duration += duration;
    this.count++;
  }

  /** The run's bytes, valid until the next `add`; the run starts afresh. */
  take(): Uint8Array {
    const bytes = this.count === 1 ? this.single.get(this.size) : this.bytes.subarray(0, this.size);
    if (this.count === 1) bytes.set(this.bytes.subarray(0, this.size));
    this.size = this.count = this.duration = 0;
    return bytes;
  }
}

/**
 * Whether the decoder gives each of two packets in one chunk its own output. A decoder that didn't
 * would drop all but the first, so each packet then goes in a chunk of its own.
 */
async function decodesPacketRuns(blob: ReadableBlob, table: SoundTable, config: AudioDecoderConfig): Promise<boolean> {
  const packets: Uint8Array[] = [];
  for (const packet of soundPackets(table)) {
    packets.push(new Uint8Array(await blob.slice(packet.offset, packet.offset + packet.size).arrayBuffer()));
    if (packets.length === 2) break;
  }
  if (packets.length < 2) return false;
  let outputs = 0;
  const decoder = new AudioDecoder({
    output: (data) => {
      outputs++;
      data.close();
    },
    error: () => undefined,
  });
  try {
    decoder.configure(config);
    const run = new Uint8Array(packets[0]!.length + packets[1]!.length);
    run.set(packets[0]!);
    run.set(packets[1]!, packets[0]!.length);
    decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: 0, data: run }));
    await decoder.flush();
    return outputs === 2;
  } catch {
    return false;
  } finally {
    if (decoder.state !== 'closed') decoder.close();
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
  let failure: Error | undefined;
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
          throw new Error(
            `The decoder gave ${data.numberOfChannels} channels at ${data.sampleRate} Hz, the file says ${config.numberOfChannels} at ${config.sampleRate} Hz.`,
          );
        }
        const timestamp = timeline!.place(data);
        yield {
          timestamp,
          numberOfFrames: data.numberOfFrames,
          copyTo: (destination, options) => data.copyTo(destination, options),
        };
      } finally {
        data.close();
      }
    }
  }

  const packetsPerChunk = (await decodesPacketRuns(blob, table, config)) ? PACKETS_PER_CHUNK : 1;
  const run = new PacketRun();
  const submit = () => {
    const seconds = (run.firstDecodeTime - table.editOffset) / table.timescale;
    timeline ??= new DecodedTimeline(config.sampleRate, seconds);
    const duration = Math.round((run.duration / table.timescale) * 1e6);
    decoder.decode(
      new EncodedAudioChunk({ type: 'key', timestamp: Math.round(seconds * 1e6), duration, data: run.take() }),
    );
  };
  const add = async (offset: number, size: number, decodeTime: number, duration: number) => {
    const read = reader.read(offset, offset + size);
    run.add(read instanceof Uint8Array ? read : await read, decodeTime, duration);
    if (run.count === packetsPerChunk) submit();
  };

  try {
    let preroll: { offset: number; size: number; decodeTime: number; duration: number } | undefined;
    for (const packet of soundPackets(table)) {
      if (packet.decodeTime + packet.duration <= startTick) {
        preroll = {
          offset: packet.offset,
          size: packet.size,
          decodeTime: packet.decodeTime,
          duration: packet.duration,
        };
        continue;
      }
      if (preroll) {
        await add(preroll.offset, preroll.size, preroll.decodeTime, preroll.duration);
        preroll = undefined;
      }
      await add(packet.offset, packet.size, packet.decodeTime, packet.duration);
      while (decoder.decodeQueueSize > MAX_QUEUED_CHUNKS && failure === undefined) {
        // Listened to only while waiting: each event a listener gets is one more object for the collector.
        decoder.addEventListener('dequeue', notify, { once: true });
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure !== undefined) throw failure;
      yield* drain();
    }
    if (run.count > 0) submit();
    if (failure !== undefined) throw failure;
    await decoder.flush();
    yield* drain();
  } finally {
    for (const data of ready.splice(0)) data.close();
    if (decoder.state !== 'closed') decoder.close();
    reader.dispose();
  }
}
