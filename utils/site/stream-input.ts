import { ALL_FORMATS, HLS_FORMATS, Input, UrlSource, type InputAudioTrack, type StreamTargetChunk } from 'mediabunny';
import { ConversionError } from '../failures';
import { cancelledError } from '../timing/cancel';
import { pageFetch, type StreamFetchLog } from './stream-fetch';
import { dashSoundOf, hlsPlaylistOf, sameLanguage } from './dash-playlist';
import { liveDashPlaylist } from './dash-live';
import { copyStreamSound } from './stream-copy';
import { recordLiveSound, type Recorded, type Recording } from './stream-recording';

export interface StreamSource {
  url: string;
  format: 'hls' | 'dash';
  /** The page's language, to pick among sound tracks that don't say which is the default. */
  language?: string;
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

async function readMpd(fetchAsPage: typeof fetch, url: string): Promise<string> {
  const response = await fetchAsPage(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

/** Reads the MPD and opens the chosen representation: its pieces as an HLS playlist made here, or its one file. */
async function openDash(source: StreamSource, log: StreamFetchLog, signal: AbortSignal): Promise<Input> {
  const fetchAsPage = pageFetch(source.url, log, signal);
  let mpd: string;
  try {
    mpd = await readMpd(fetchAsPage, source.url);
  } catch (error) {
    throw streamFailure(error, log);
  }
  const sound = dashSoundOf(mpd, source.url, source.language);
  log.manifestRead = true;
  if (sound.kind === 'file') {
    return new Input({
      formats: ALL_FORMATS,
      source: new UrlSource(sound.url, { fetchFn: fetchAsPage, getRetryDelay: () => null }),
    });
  }
  // A live stream's MPD is read again at each of mediabunny's playlist refreshes.
  const playlist = sound.live
    ? liveDashPlaylist(mpd, () => readMpd(fetchAsPage, source.url), source.url, source.language)
    : () => Promise.resolve(hlsPlaylistOf(sound.periods));
  // Never fetched: mediabunny asks this fetch for it, which answers with the playlist made from the MPD.
  const playlistUrl = new URL('video-to-mp3-dash-sound.m3u8', source.url).href;
  const fetchFn: typeof fetch = async (resource, init) =>
    String(resource instanceof Request ? resource.url : resource) === playlistUrl
      ? new Response(await playlist(), { headers: { 'Content-Type': 'application/vnd.apple.mpegurl' } })
      : fetchAsPage(resource, init);
  return new Input({
    formats: HLS_FORMATS,
    source: new UrlSource(playlistUrl, { fetchFn, getRetryDelay: () => null }),
  });
}

function openHls(source: StreamSource, log: StreamFetchLog, signal: AbortSignal): Input {
  return new Input({
    formats: HLS_FORMATS,
    source: new UrlSource(source.url, {
      fetchFn: pageFetch(source.url, log, signal),
      // pageFetch retries what is worth retrying; mediabunny's own retries would never give up.
      getRetryDelay: () => null,
    }),
    formatOptions: { hls: { offsetTimestampsByDateTime: false } },
  });
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
 * Copies the sound of an HLS or DASH stream, as its packets are, into one Matroska file that the local
 * engine then converts like any video file. Only the chosen rendition's pieces are fetched. A live
 * stream is recorded (stored as it comes) when the job can record; else it is refused.
 */
export async function readStreamSound(
  source: StreamSource,
  onProgress: (share: number) => void,
  signal: AbortSignal,
  recording?: Recording,
): Promise<Recorded & { stored: boolean }> {
  const log: StreamFetchLog = { manifestRead: false, drm: false };
  const input = source.format === 'dash' ? await openDash(source, log, signal) : openHls(source, log, signal);
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
    let live: boolean;
    try {
      live = await track.isLive();
    } catch (error) {
      throw streamFailure(error, log);
    }
    if (live) {
      if (!recording) throw new ConversionError('stream-live');
      return { ...(await recordLiveSound(track, recording, signal)), stored: true };
    }
    const target = blobParts();
    try {
      await copyStreamSound(track, target.writable, onProgress, signal);
    } catch (error) {
      if (signal.aborted) throw cancelledError();
      throw streamFailure(error, log);
    }
    return { blob: target.toBlob(), stoppedEarly: false, stored: false };
  } catch (error) {
    if (signal.aborted) throw cancelledError();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
    input.dispose();
  }
}
