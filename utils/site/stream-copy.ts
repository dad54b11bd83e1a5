import { EncodedPacketSink, type InputAudioTrack, type StreamTargetChunk } from 'mediabunny';
import { ConversionError } from '../failures';
import { cancelledError } from '../timing/cancel';
import { startSoundFile } from './sound-file';

/** Packets end within this of one another count as the same instant (timestamps are rounded). */
const SAME_INSTANT_SECONDS = 1e-4;

/**
 * Copies a finished stream's sound packet by packet into an append-only Matroska file. mediabunny's
 * HLS input puts each discontinuity's first packet where the playlist says it starts; when that is an
 * encoder's priming packet (AAC's 1024 samples of each DASH period cut by ffmpeg), the packet only
 * repeats the span the previous part already ends with. Such a packet, wholly behind what was
 * copied, is left out: kept, every period would push the sound after it later by its priming.
 */
export async function copyStreamSound(
  track: InputAudioTrack,
  writable: WritableStream<StreamTargetChunk>,
  onProgress: (share: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const { output, source, decoderConfig } = await startSoundFile(track, writable);
  const duration = await track.computeDuration();
  let copiedUpTo = -Infinity;
  let first = true;
  for await (const packet of new EncodedPacketSink(track).packets()) {
    if (signal.aborted) throw cancelledError();
    const end = packet.timestamp + packet.duration;
    if (end <= copiedUpTo + SAME_INSTANT_SECONDS) continue;
    await source.add(packet, first ? { decoderConfig } : undefined);
    first = false;
    copiedUpTo = end;
    if (duration > 0) onProgress(Math.min(1, end / duration));
  }
  if (first) throw new ConversionError('no-audio');
  await output.finalize();
}
