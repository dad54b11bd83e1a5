import {
  Conversion,
  ConversionCanceledError,
  HLS_FORMATS,
  Input,
  MkvOutputFormat,
  Output,
  StreamTarget,
  UrlSource,
  type InputAudioTrack,
  type StreamTargetChunk,
} from 'mediabunny';
import { ConversionError } from '../failures';
import { cancelledError } from '../timing/cancel';
import { pageFetch, type StreamFetchLog } from './stream-fetch';

export interface StreamSource {
  url: string;
  /** The page's language, to pick among sound tracks that don't say which is the default. */
  language?: string;
}

/** Leading subtags compared: `en-US` matches a track marked `en` or `eng`. */
function sameLanguage(trackLanguage: string, pageLanguage: string | undefined): boolean {
  if (!pageLanguage) return false;
  const page = pageLanguage.toLowerCase().split('-')[0] ?? '';
  const track = trackLanguage.toLowerCase().split('-')[0] ?? '';
  return page.length >= 2 && (track === page || (track.length === 3 && track.startsWith(page)));
}

/**
 * The sound to fetch. A rendition of its own (an `EXT-X-MEDIA` audio group, which mediabunny gives no
 * bitrate since the variant's BANDWIDTH counts the video too) is fetched alone: the default one, else
 * the page's language, else the first. Sound muxed into the video variants comes with the video, so
 * the variant with the lowest bitrate that carries it costs the fewest bytes.
 */
async function pickSoundTrack(input: Input, language?: string): Promise<InputAudioTrack | null> {
  const tracks = await input.getAudioTracks();
  const withBitrate = await Promise.all(tracks.map(async (track) => ({ track, bitrate: await track.getBitrate() })));
  const separate = withBitrate.filter(({ bitrate }) => bitrate === null).map(({ track }) => track);
  if (separate.length > 0) {
    return (
      separate.find((track) => track.disposition.default) ??
      separate.find((track) => sameLanguage(track.languageCode, language)) ??
      separate[0]!
    );
  }
  const muxed = withBitrate.sort((a, b) => (a.bitrate ?? 0) - (b.bitrate ?? 0));
  return muxed[0]?.track ?? null;
}

/** Where the copied sound goes: Blob parts of a few MB, so a long stream never sits in memory. */
function blobParts(): { writable: WritableStream<StreamTargetChunk>; toBlob(): Blob } {
  const parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    parts.push(new Blob(pending as BlobPart[]));
    pending = [];
    pendingBytes = 0;
  };
  return {
    writable: new WritableStream<StreamTargetChunk>({
      write(chunk) {
        pending.push(chunk.data);
        pendingBytes += chunk.data.byteLength;
        if (pendingBytes > 8 * 1024 * 1024) flush();
      },
    }),
    toBlob() {
      flush();
      return new Blob(parts, { type: 'video/x-matroska' });
    },
  };
}

/** What went wrong, in the words the user gets: the manifest, a piece of the stream, or copy protection. */
function streamFailure(error: unknown, log: StreamFetchLog): Error {
  if (error instanceof ConversionError) return error;
  if (log.drm) return new ConversionError('drm');
  if (!log.manifestRead) return new ConversionError('stream-unreadable', String(error));
  return new ConversionError('stream-piece-failed', String(error));
}

/**
 * Copies the sound of an HLS stream, as its packets are, into one Matroska file that the local engine
 * then converts like any video file. Only the chosen rendition's playlist and segments are fetched.
 */
export async function readHlsSound(
  source: StreamSource,
  onProgress: (share: number) => void,
  signal: AbortSignal,
): Promise<Blob> {
  const log: StreamFetchLog = { manifestRead: false, drm: false };
  const input = new Input({
    formats: HLS_FORMATS,
    source: new UrlSource(source.url, {
      fetchFn: pageFetch(source.url, log, signal),
      // pageFetch retries what is worth retrying; mediabunny's own retries would never give up.
      getRetryDelay: () => null,
    }),
    formatOptions: { hls: { offsetTimestampsByDateTime: false } },
  });
  const abort = () => input.dispose();
  signal.addEventListener('abort', abort, { once: true });
  try {
    let track: InputAudioTrack | null;
    try {
      track = await pickSoundTrack(input, source.language);
    } catch (error) {
      throw streamFailure(error, log);
    }
    if (!track) throw new ConversionError('no-audio');
    const target = blobParts();
    const conversion = await Conversion.init({
      input,
      output: new Output({
        format: new MkvOutputFormat({ appendOnly: true }),
        target: new StreamTarget(target.writable),
      }),
      tracks: 'all',
      showWarnings: false,
      video: { discard: true },
      audio: (candidate) => (candidate.id === track.id ? {} : { discard: true }),
    });
    if (!conversion.isValid) throw new ConversionError('unsupported-audio');
    conversion.onProgress = (progress) => onProgress(progress);
    try {
      await conversion.execute();
    } catch (error) {
      if (error instanceof ConversionCanceledError || signal.aborted) throw cancelledError();
      throw streamFailure(error, log);
    }
    return target.toBlob();
  } catch (error) {
    if (signal.aborted) throw cancelledError();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
    input.dispose();
  }
}
