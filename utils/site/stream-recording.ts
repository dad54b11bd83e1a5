import { EncodedPacketSink, type EncodedPacket, type InputAudioTrack, type StreamTargetChunk } from 'mediabunny';
import { deleteBlob, putPart, sealParts } from '../blob-store';
import { ConversionError } from '../failures';
import { cancelledError } from '../timing/cancel';
import { startSoundFile } from './sound-file';

/** What a live recording needs from the job that runs it. */
export interface Recording {
  /** Where the parts are kept (the job's input key), so a recording cut off keeps what it got. */
  key: string;
  /** **Stop**: the recording ends here and is saved. */
  stop: AbortSignal;
  /** Seconds of sound recorded so far. */
  onRecorded(seconds: number): void;
}

/** What was recorded, and whether it ended early (a piece that could no longer be fetched). */
export interface Recorded {
  blob: Blob;
  stoppedEarly: boolean;
}

/**
 * A part is stored every 2 s of time or of sound (the first seconds arrive at once), so a browser that
 * quits loses no more than that of the recording.
 */
const PART_INTERVAL_SECONDS = 2;
const PART_MAX_BYTES = 1024 * 1024;
/** Players join a live stream about three target durations behind its newest piece: the click hears that. */
const JOIN_TARGET_DURATIONS = 3;

/** Resolves with null once `stop` fires, so a wait for the stream's next piece can be cut short. */
function untilStopped<T>(work: Promise<T>, stop: AbortSignal): Promise<T | null> {
  if (stop.aborted) return Promise.resolve(null);
  return Promise.race([
    work,
    new Promise<null>((resolve) => stop.addEventListener('abort', () => resolve(null), { once: true })),
  ]);
}

/** The recorded Matroska bytes, stored in parts as they come. */
function storedParts(key: string) {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let index = 0;
  let storedAt = 0;
  let storedUpTo = 0;
  return {
    writable: new WritableStream<StreamTargetChunk>({
      write(chunk) {
        pending.push(chunk.data);
        pendingBytes += chunk.data.byteLength;
      },
    }),
    /** Stores what came since the last part (up to `recorded` seconds): the first at once, then every few seconds. */
    async store(recorded: number, force = false): Promise<void> {
      if (pendingBytes === 0) return;
      const due =
        index === 0 ||
        Date.now() - storedAt >= PART_INTERVAL_SECONDS * 1000 ||
        recorded - storedUpTo >= PART_INTERVAL_SECONDS ||
        pendingBytes >= PART_MAX_BYTES;
      if (!force && !due) return;
      storedUpTo = recorded;
      const part = new Blob(pending as BlobPart[]);
      pending = [];
      pendingBytes = 0;
      storedAt = Date.now();
      await putPart('inputs', key, index++, part);
    },
  };
}

/** The packet where the recording starts: where a player joining the stream now would start. */
async function joinPoint(sink: EncodedPacketSink, track: InputAudioTrack): Promise<EncodedPacket | null> {
  const now = { skipLiveWait: true };
  const newestEnd = await track.computeDuration(now);
  const targetDuration = (await track.getLiveRefreshInterval()) ?? 0;
  const first = await sink.getFirstPacket(now);
  if (!first) return null;
  const start = newestEnd - JOIN_TARGET_DURATIONS * targetDuration;
  return start <= first.timestamp ? first : ((await sink.getPacket(start, now)) ?? first);
}

/**
 * Records the sound of a live stream from now until **Stop** or the stream's end, copying its packets
 * (timed from 0) into a Matroska file whose parts are stored as they come. Returns the whole, stored
 * under `recording.key`. A piece that can't be fetched any more ends the recording early with what it got.
 */
export async function recordLiveSound(
  track: InputAudioTrack,
  recording: Recording,
  signal: AbortSignal,
): Promise<Recorded> {
  try {
    return await record(track, recording, signal);
  } catch (error) {
    // A cancelled recording keeps nothing, so a Retry records afresh rather than saving these parts.
    if (signal.aborted) {
      await deleteBlob('inputs', recording.key).catch(() => undefined);
      throw cancelledError();
    }
    throw error;
  }
}

async function record(track: InputAudioTrack, recording: Recording, signal: AbortSignal): Promise<Recorded> {
  const parts = storedParts(recording.key);
  const { output, source, decoderConfig } = await startSoundFile(track, parts.writable);

  const sink = new EncodedPacketSink(track);
  let packet = await joinPoint(sink, track);
  if (!packet) throw new ConversionError('no-audio');
  const startedAt = packet.timestamp;
  let stoppedEarly = false;
  let first = true;
  while (packet && !recording.stop.aborted) {
    await source.add(packet.clone({ timestamp: packet.timestamp - startedAt }), first ? { decoderConfig } : undefined);
    first = false;
    const recorded = packet.timestamp + packet.duration - startedAt;
    await parts.store(recorded);
    recording.onRecorded(recorded);
    try {
      packet = await untilStopped(sink.getNextPacket(packet), recording.stop);
    } catch (error) {
      // A cancelled job's input is disposed under this wait: that is not an early end.
      if (signal.aborted) throw error;
      if (error instanceof ConversionError && error.reason === 'drm') throw error;
      console.warn('The live stream stopped answering; saving what was recorded', error);
      stoppedEarly = true;
      break;
    }
  }
  await output.finalize();
  await parts.store(Infinity, true);
  const blob = await sealParts('inputs', recording.key);
  if (!blob) throw new ConversionError('no-audio');
  return { blob, stoppedEarly };
}
