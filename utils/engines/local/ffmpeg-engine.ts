import { FFmpeg, FFFSType } from '@ffmpeg/ffmpeg';
import { z } from 'zod';
import type { ConversionRequest, ConversionResult, Engine, ProgressListener } from '../engine';
import { ConversionError } from '../../failures';
import { outputChannels, outputSampleRate } from './audio-layout';
import { oneAtATime } from '../../one-at-a-time';
import { ALL_TAGS } from '../../tag-choices';
import type { Trim } from '../../trim';
import { activeFades, type Fades } from '../../fades';
import { TARGET_LUFS } from './loudness';
import { vbrQuality, type Bitrate } from '../../bitrate';
import { cancelledError } from '../../timing/cancel';
import { codecLabel } from '../../output-format';

/** Where the build puts ffmpeg.wasm's single-thread core inside the extension package. */
const FFMPEG_CORE_DIR = 'ffmpeg';

const probeSchema = z.object({
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        sample_rate: z.coerce.number().optional(),
        channels: z.number().optional(),
        duration: z.coerce.number().optional(),
        disposition: z.object({ default: z.number().optional() }).partial().optional(),
      }),
    )
    .default([]),
  format: z
    .object({ duration: z.coerce.number().optional(), tags: z.record(z.string(), z.string()).optional() })
    .partial()
    .optional(),
});
type ProbedStream = z.infer<typeof probeSchema>['streams'][number];
const outputProbeSchema = z.object({
  streams: z
    .array(z.object({ codec_type: z.string().optional(), nb_read_packets: z.coerce.number().optional() }))
    .default([]),
});

/**
 * The files are copied in by wxt.config.ts at build time. Resolved against the extension's origin
 * rather than with runtime.getURL, which a conversion worker doesn't have.
 */
function packagedFileUrl(file: string): string {
  return new URL(`/${FFMPEG_CORE_DIR}/${file}`, self.location.origin).href;
}

let loading: Promise<FFmpeg> | undefined;

function loadFfmpeg(): Promise<FFmpeg> {
  loading ??= (async () => {
    const ffmpeg = new FFmpeg();
    await ffmpeg.load({
      coreURL: packagedFileUrl('ffmpeg-core.js'),
      wasmURL: packagedFileUrl('ffmpeg-core.wasm'),
    });
    return ffmpeg;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/** ffmpeg.wasm runs one command at a time; jobs take turns. */
const exclusive = oneAtATime();

const DAMAGED_SIGNS = /moov atom not found|partial file|truncat|end of file|invalid atom size|error reading header/i;

/**
 * ffprobe's JSON about `path` (`show`: what to show), or undefined when it wrote nothing readable:
 * ffmpeg.wasm's ffprobe doesn't report a reliable exit code, so what it wrote is the answer.
 */
async function probe<T>(
  ffmpeg: FFmpeg,
  path: string,
  show: string[],
  schema: z.ZodType<T>,
  signal: AbortSignal,
): Promise<T | undefined> {
  const out = '/probe.json';
  await ffmpeg.ffprobe(['-v', 'error', ...show, '-of', 'json', path, '-o', out], -1, { signal });
  try {
    return schema.parse(JSON.parse(String(await ffmpeg.readFile(out, 'utf8'))));
  } catch {
    return undefined;
  } finally {
    await ffmpeg.deleteFile(out).catch(() => undefined);
  }
}

/** Cuts the sound to the trim, to the sample, before it is resampled and encoded. */
function trimFilters(trim: Trim | undefined): string[] {
  if (!trim) return [];
  const bounds = [
    ...(trim.startSeconds !== undefined ? [`start=${trim.startSeconds}`] : []),
    ...(trim.endSeconds !== undefined ? [`end=${trim.endSeconds}`] : []),
  ];
  return [`atrim=${bounds.join(':')}`, 'asetpts=PTS-STARTPTS'];
}

/** Linear fades at the ends of the kept sound, `keptSeconds` long (the fade out needs to know where it ends). */
function fadeFilters(fades: Fades | undefined, keptSeconds: number | undefined): string[] {
  const active = activeFades(fades);
  if (!active) return [];
  return [
    ...(active.inSeconds > 0 ? [`afade=t=in:st=0:d=${active.inSeconds}`] : []),
    ...(active.outSeconds > 0 && keptSeconds !== undefined
      ? [`afade=t=out:st=${Math.max(0, keptSeconds - active.outSeconds)}:d=${active.outSeconds}`]
      : []),
  ];
}

const lastNumber = (text: string, pattern: RegExp) => Number([...text.matchAll(pattern)].at(-1)?.[1] ?? Number.NaN);

/**
 * A first pass with ffmpeg's EBU R128 meter over the sound as the MP3 will have it: the gain in dB that
 * brings it to −14 LUFS, lowered so that no sample clips.
 */
async function loudnessGainDb(
  ffmpeg: FFmpeg,
  input: string[],
  filters: string[],
  log: string[],
  signal: AbortSignal,
): Promise<number> {
  log.length = 0;
  // The meter's summary is logged at info level; the ffprobe run before left the level at errors only.
  await ffmpeg.exec(
    ['-loglevel', 'info', ...input, '-af', [...filters, 'ebur128=peak=sample'].join(','), '-f', 'null', '-'],
    -1,
    { signal },
  );
  const summary = log.join('\n');
  const loudness = lastNumber(summary, /I:\s+(-?[\d.]+) LUFS/g);
  const peakDb = lastNumber(summary, /Peak:\s+(-?[\d.]+) dBFS/g);
  if (!Number.isFinite(loudness) || loudness <= -70) return 0;
  return Math.min(TARGET_LUFS - loudness, Number.isFinite(peakDb) ? -peakDb : Number.POSITIVE_INFINITY);
}

/** ID3 tags as the user chose them (cover art isn't taken from the video here). */
function metadataArguments(request: ConversionRequest, sourceTags: Record<string, string>): string[] {
  const choices = request.tags ?? ALL_TAGS;
  const tag = (key: string) => Object.entries(sourceTags).find(([name]) => name.toLowerCase() === key)?.[1];
  const tags: [string, string | undefined][] = [
    ['title', choices.title ? request.title : undefined],
    ['artist', choices.artistAlbum ? tag('artist') : undefined],
    ['album', request.chapterFile?.album ?? (choices.artistAlbum ? tag('album') : undefined)],
    ['track', request.chapterFile && `${request.chapterFile.trackNumber}/${request.chapterFile.tracksTotal}`],
  ];
  return tags.flatMap(([key, value]) => (value ? ['-metadata', `${key}=${value}`] : []));
}

/** Whether ffmpeg wrote any audio: a stream whose packets all fail to decode leaves only the tags. */
async function hasAudioFrames(ffmpeg: FFmpeg, path: string, signal: AbortSignal): Promise<boolean> {
  const output = await probe(ffmpeg, path, ['-count_packets', '-show_streams'], outputProbeSchema, signal);
  return output?.streams.some((stream) => stream.codec_type === 'audio' && (stream.nb_read_packets ?? 0) > 0) ?? false;
}

function chooseAudioStream(streams: ProbedStream[], trackIndex: number | undefined): ProbedStream | undefined {
  const audio = streams.filter((stream) => stream.codec_type === 'audio');
  if (trackIndex !== undefined && audio[trackIndex]) return audio[trackIndex];
  return audio.find((stream) => stream.disposition?.default === 1) ?? audio[0];
}

/** libmp3lame's options for the bitrate: `-b:a 192k`, or `-q:a 0` for VBR V0. */
function lameBitrate(bitrate: Bitrate): string[] {
  const quality = vbrQuality(bitrate);
  return quality === undefined ? ['-b:a', `${bitrate}k`] : ['-q:a', String(quality)];
}

const STILL_WAITING_MS = 10_000;

/**
 * The fallback for what WebCodecs and mediabunny can't read (AVI, AC-3, …). It reads the whole
 * input into wasm memory, so it is used only when the streaming engine gives up.
 */
export function createFfmpegEngine(containerRecognised: boolean): Engine {
  return {
    async convert(request, onProgress, signal) {
      // Waiting for the conversion ahead is not being stuck: say so now and then, for the stall limit.
      const waiting = setInterval(() => onProgress(0), STILL_WAITING_MS);
      try {
        return await exclusive(() => {
          clearInterval(waiting);
          return convertWithFfmpeg(request, onProgress, signal, containerRecognised);
        });
      } finally {
        clearInterval(waiting);
      }
    },
  };
}

async function convertWithFfmpeg(
  request: ConversionRequest,
  onProgress: ProgressListener,
  signal: AbortSignal,
  containerRecognised: boolean,
): Promise<ConversionResult> {
  // A job cancelled while it waited for its turn stops here.
  if (signal.aborted) throw cancelledError();
  const ffmpeg = await loadFfmpeg();
  const log: string[] = [];
  const collectLog = ({ message }: { message: string }) => log.push(message);
  let progressShare = { from: 0, size: 1 };
  let lastProgress = 0;
  // ffmpeg reports as it goes even when it can't tell how far it is (no duration): still progress.
  const reportProgress = ({ progress }: { progress: number }) => {
    if (progress >= 0 && progress <= 1) lastProgress = progressShare.from + progress * progressShare.size;
    onProgress(lastProgress);
  };
  const abort = () => {
    ffmpeg.terminate();
    loading = undefined;
  };
  signal.addEventListener('abort', abort, { once: true });
  ffmpeg.on('log', collectLog);
  const mountPoint = `/job-${crypto.randomUUID()}`;
  const inputPath = `${mountPoint}/input`;
  try {
    await ffmpeg.createDir(mountPoint);
    await ffmpeg.mount(FFFSType.WORKERFS, { blobs: [{ name: 'input', data: request.input }] }, mountPoint);

    const probed = await probe(ffmpeg, inputPath, ['-show_streams', '-show_format'], probeSchema, signal);
    const source = probed?.streams.length ? probed : undefined;
    if (!source) {
      throw new ConversionError(containerRecognised || DAMAGED_SIGNS.test(log.join('\n')) ? 'damaged' : 'not-a-video');
    }
    const stream = chooseAudioStream(source.streams, request.trackIndex);
    if (!stream) throw new ConversionError(source.streams.length > 0 ? 'no-audio' : 'not-a-video');

    const knownSeconds = stream.duration ?? source.format?.duration;
    if (
      request.trim?.startSeconds !== undefined &&
      knownSeconds !== undefined &&
      request.trim.startSeconds >= knownSeconds
    ) {
      throw new ConversionError('trim-outside');
    }
    const sampleRate = outputSampleRate(stream.sample_rate ?? 48_000);
    const channels = outputChannels(stream.channels ?? 2);
    log.length = 0;
    ffmpeg.on('progress', reportProgress);
    const input = ['-nostdin', '-i', inputPath, '-map', `0:${stream.index}`, '-vn', '-sn', '-dn'];
    const original = request.format === 'original' && !activeFades(request.fades);
    const copy =
      stream.codec_name === 'mp3' &&
      !request.trim &&
      (original || (request.keepMp3Audio && !request.normalizeLoudness && !activeFades(request.fades)));
    const keptEnd = Math.min(request.trim?.endSeconds ?? Infinity, knownSeconds ?? Infinity);
    const filters = [
      ...trimFilters(request.trim),
      ...fadeFilters(request.fades, Number.isFinite(keptEnd) ? keptEnd - (request.trim?.startSeconds ?? 0) : undefined),
      `aformat=sample_rates=${sampleRate}:channel_layouts=${channels === 1 ? 'mono' : 'stereo'}`,
    ];
    if (request.normalizeLoudness) {
      progressShare = { from: 0, size: 0.5 };
      const gainDb = await loudnessGainDb(ffmpeg, input, filters, log, signal);
      filters.push(`volume=${gainDb.toFixed(2)}dB`);
      progressShare = { from: 0.5, size: 0.5 };
    }
    const encoding = copy
      ? // No Xing/LAME header: with one, players would also skip a decoder delay the copied frames never had trimmed.
        ['-c:a', 'copy', '-write_xing', '0']
      : ['-af', filters.join(','), '-c:a', 'libmp3lame', ...lameBitrate(request.bitrate)];
    const code = await ffmpeg.exec(
      [
        ...input,
        '-map_metadata',
        '-1',
        ...encoding,
        ...metadataArguments(request, source.format?.tags ?? {}),
        '-y',
        '/output.mp3',
      ],
      -1,
      { signal },
    );
    if (code !== 0)
      throw new ConversionError(
        /decoder .*not found|not supported|unknown codec/i.test(log.join('\n')) ? 'unsupported-audio' : 'damaged',
      );
    if (!(await hasAudioFrames(ffmpeg, '/output.mp3', signal)))
      throw new ConversionError(request.trim ? 'trim-outside' : 'damaged');
    const bytes = await ffmpeg.readFile('/output.mp3');
    if (typeof bytes === 'string' || bytes.byteLength === 0)
      throw new ConversionError(request.trim ? 'trim-outside' : 'damaged');
    await ffmpeg.deleteFile('/output.mp3');
    const sourceSeconds = stream.duration ?? source.format?.duration ?? 0;
    const durationSeconds =
      Math.min(request.trim?.endSeconds ?? sourceSeconds, sourceSeconds) - (request.trim?.startSeconds ?? 0);
    const mp3 = new Blob([bytes as BlobPart], { type: 'audio/mpeg' });
    // This fallback makes MP3s only: an original sound other than an untrimmed MP3 one is encoded.
    return original && !copy
      ? { mp3, durationSeconds, originalNotKept: codecLabel(stream.codec_name) }
      : { mp3, durationSeconds };
  } catch (error) {
    if (signal.aborted) throw cancelledError();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
    if (!signal.aborted) {
      ffmpeg.off('log', collectLog);
      ffmpeg.off('progress', reportProgress);
      await ffmpeg.unmount(mountPoint).catch(() => undefined);
      await ffmpeg.deleteDir(mountPoint).catch(() => undefined);
    }
  }
}
