import {
  AudioSampleSink,
  Conversion,
  EncodedPacketSink,
  Input,
  IsobmffInputFormat,
  Output,
  StreamTarget,
  WavOutputFormat,
  type InputAudioTrack,
  type MetadataTags,
  type StreamTargetChunk,
} from 'mediabunny';
import type { ConversionRequest, ConversionResult, Engine, ProgressListener } from '../engine';
import type { SourceDescription } from '../../outputs/output-plan';
import { ConversionError } from '../../failures';
import { DiskFullError, spillTo } from '../../blob-store';
import { cancelledError } from '../../timing/cancel';
import { runConversion } from './run-conversion';
import { outputChannels, outputSampleRate } from './audio-layout';
import { sharedEncoderPool } from './mp3/encoder-pool';
import { Mp3FrameError } from './mp3/frames';
import { computeGapless, lameFrameCount, MP3_DECODER_DELAY, type GaplessInfo } from './mp3/gapless';
import { Mp3Writer } from './mp3/mp3-writer';
import { lameTagBitrate } from './mp3/info-frame';
import { SegmentedMp3Encoding } from './mp3/segmented-encoding';
import { mp3Tags } from './tags';
import { chaptersInMp3, type Chapter } from './chapters/chapter';
import { readChapters } from './chapters/read-chapters';
import { chunkPlanes, sampleChunk, type DecodedPcm, type PcmChunk } from './audio-planes';
import type { Trim } from '../../trim';
import { activeFades, applyFades, fadeSpan, type FadeSpan } from '../../fades';
import { LoudnessMeter, normalizingGain } from './loudness';
import { openInput } from './blob-window-source';
import { readSoundTable, soundTableDuration } from './mp4/sound-table';
import { decodeSoundTable } from './mp4/sound-decoding';
import { copyOriginalSound } from './original-sound';
import { codecLabel, containerForCodec } from '../../output-format';

/** What the MP3 takes from the source besides its sound, read while the sound is converted. */
interface SourceDetails {
  tags: Promise<MetadataTags>;
  chapters: Promise<Chapter[]>;
}

/** mediabunny can't read this input (container or codec): the ffmpeg engine should try. */
export class NeedsFallbackError extends Error {
  constructor(
    message: string,
    /** Whether mediabunny recognised the container, which makes a later failure "damaged" rather than "not a video". */
    readonly containerRecognised: boolean,
  ) {
    super(message);
    this.name = 'NeedsFallbackError';
  }
}

const spillOf = (request: ConversionRequest) => (request.scratchKey ? spillTo(request.scratchKey) : undefined);

export function warmUpMp3Encoders(): void {
  sharedEncoderPool().warmUp();
}

/** The track to convert: the one at `trackIndex` among the sound tracks when given, else the primary one. */
export async function openAudioTrack(input: Input, trackIndex?: number): Promise<InputAudioTrack> {
  let containerRecognised = false;
  try {
    await input.getFormat();
    containerRecognised = true;
    await input.getTracks();
  } catch (error) {
    throw new NeedsFallbackError(String(error), containerRecognised);
  }
  const chosen = trackIndex === undefined ? undefined : (await input.getAudioTracks())[trackIndex];
  const track = chosen ?? (await input.getPrimaryAudioTrack());
  if (!track) {
    const hasVideo = (await input.getPrimaryVideoTrack()) !== null;
    if (hasVideo) throw new ConversionError('no-audio');
    throw new NeedsFallbackError('no tracks found', true);
  }
  if (!(await track.canDecode())) throw new NeedsFallbackError(`cannot decode ${track.codec ?? 'unknown codec'}`, true);
  return track;
}

/** The samples to keep, [start, end) on the track's timeline (sample frames from time 0). */
interface KeptWindow {
  start: number;
  end: number;
  /** The end is the track's duration as the container says, not a trim the user chose. */
  endIsTrackEnd: boolean;
}

/**
 * The part of a decoded sample, in its sample frames [from, to), inside the window: the encoder's priming
 * before 0, the padding of a last frame that runs past the track's duration, and what a trim leaves out
 * are cut off. A frame that starts at or after the track's duration is kept whole: the container didn't
 * know the last frame's length (FLAC in Matroska).
 */
function keptFrames(
  sample: Pick<DecodedPcm, 'timestamp' | 'numberOfFrames'>,
  sampleRate: number,
  window: KeptWindow,
): { from: number; to: number } {
  const first = Math.round(sample.timestamp * sampleRate);
  const last = first + sample.numberOfFrames;
  const end = window.endIsTrackEnd && first >= window.end ? last : Math.min(last, window.end);
  return { from: Math.max(0, window.start - first), to: Math.max(0, end - first) };
}

/** What it means that no sample was kept: a trim past the end of the sound, or nothing mediabunny could decode. */
function nothingKept(window: KeptWindow): Error {
  return window.start > 0
    ? new ConversionError('trim-outside')
    : new NeedsFallbackError('no audio samples decoded', true);
}

function keptWindow(duration: number, sampleRate: number, trim: Trim | undefined): KeptWindow {
  const trackEnd = Math.round(duration * sampleRate);
  const start = Math.round((trim?.startSeconds ?? 0) * sampleRate);
  if (trim?.endSeconds === undefined) return { start, end: trackEnd, endIsTrackEnd: true };
  return { start, end: Math.round(trim.endSeconds * sampleRate), endIsTrackEnd: false };
}

/** A track's decoded sound from a time on, each piece readable until the next is asked for. */
export interface DecodedSound {
  readonly duration: number;
  from(startSeconds: number, endSeconds: number | undefined): AsyncIterable<DecodedPcm>;
}

async function* mediabunnySamples(
  track: InputAudioTrack,
  startSeconds: number,
  endSeconds: number | undefined,
): AsyncGenerator<DecodedPcm> {
  for await (const sample of new AudioSampleSink(track).samples(startSeconds, endSeconds)) {
    try {
      yield sample;
    } finally {
      sample.close();
    }
  }
}

/**
 * AAC in an unfragmented MP4 or QuickTime file, the usual video, is read from its sample table as
 * typed arrays and decoded straight from the file's window; anything else through mediabunny.
 */
export async function decodedSound(input: Input, track: InputAudioTrack, blob: Blob): Promise<DecodedSound> {
  const table =
    track.codec === 'aac' && (await input.getFormat()) instanceof IsobmffInputFormat
      ? await readSoundTable(blob, track.id).catch(() => null)
      : null;
  if (table) {
    const config = await track.getDecoderConfig();
    if (config) {
      return {
        duration: soundTableDuration(table),
        from: (startSeconds) => decodeSoundTable(blob, table, config, startSeconds),
      };
    }
  }
  return {
    duration: await track.computeDuration(),
    from: (startSeconds, endSeconds) => mediabunnySamples(track, startSeconds, endSeconds),
  };
}

/** Decoded audio inside the window (from time 0 to its end, or the trim), each chunk readable until the next is asked for. */
async function* decodedChunks(
  sound: DecodedSound,
  rate: number,
  window: KeptWindow,
  signal: AbortSignal,
): AsyncGenerator<PcmChunk> {
  let decoded = 0;
  for await (const sample of sound.from(window.start / rate, window.endIsTrackEnd ? undefined : window.end / rate)) {
    if (signal.aborted) throw cancelledError();
    if (!window.endIsTrackEnd && Math.round(sample.timestamp * rate) >= window.end) break;
    const { from, to } = keptFrames(sample, rate, window);
    if (to <= from) continue;
    decoded += to - from;
    yield sampleChunk(sample, from, to);
  }
  if (decoded === 0) throw nothingKept(window);
}

function amplify(planes: Float32Array[], gain: number): Float32Array[] {
  for (const plane of planes) for (let i = 0; i < plane.length; i++) plane[i] = plane[i]! * gain;
  return planes;
}

/** The chunk as it goes to the encoder: at the loudness gain, with the fades of the kept sound from sample `first` on. */
function shaped(
  chunk: PcmChunk,
  channels: number,
  gain: number,
  fades: FadeSpan | undefined,
  first: number,
): PcmChunk | Float32Array[] {
  if (gain === 1 && !fades) return chunk;
  const planes = chunkPlanes(chunk, channels).planes;
  if (gain !== 1) amplify(planes, gain);
  if (fades) applyFades(planes, first, fades);
  return planes;
}

/**
 * With "Even out loudness", a first pass (`measure`, given the first half of the progress bar) feeds the
 * sound to a meter: the gain that brings it to −14 LUFS, and the listener for the second pass's half.
 * Without it, no first pass: gain 1 and the whole bar.
 */
async function loudnessGain(
  request: ConversionRequest,
  format: { sampleRate: number; numberOfChannels: number },
  onProgress: ProgressListener,
  measure: (meter: LoudnessMeter, onProgress: ProgressListener) => Promise<void>,
): Promise<{ gain: number; progress: ProgressListener }> {
  if (!request.normalizeLoudness) return { gain: 1, progress: onProgress };
  const meter = new LoudnessMeter(format.sampleRate, format.numberOfChannels);
  await measure(meter, (fraction) => onProgress(fraction / 2));
  return { gain: normalizingGain(meter), progress: (fraction) => onProgress(0.5 + fraction / 2) };
}

/**
 * One pass over the sound to keep, as chunks at the MP3's rate and channel count, each readable until
 * `consume` resolves; `onProgress` tells how far it has come.
 */
type SoundPass = (consume: (chunk: PcmChunk) => Promise<void>, onProgress: ProgressListener) => Promise<void>;

/** Mono or stereo at a rate MP3 keeps: decoded straight from the track. */
function decodedPass(sound: DecodedSound, sampleRate: number, window: KeptWindow, signal: AbortSignal): SoundPass {
  const totalSamples = Math.max(1, window.end - window.start);
  return async (consume, onProgress) => {
    let samples = 0;
    for await (const chunk of decodedChunks(sound, sampleRate, window, signal)) {
      await consume(chunk);
      samples += chunk.length;
      onProgress(Math.min(1, samples / totalSamples));
    }
  };
}

/** Surround sound or rates MP3 doesn't have: mediabunny's Conversion mixes down and resamples it, to PCM that is then thrown away. */
function mixedPass(
  input: Input,
  track: InputAudioTrack,
  mixed: { sampleRate: number; numberOfChannels: number },
  window: KeptWindow,
  signal: AbortSignal,
): SoundPass {
  return async (consume, onProgress) => {
    const discard = new StreamTarget(new WritableStream<StreamTargetChunk>({ write() {} }));
    const conversion = await Conversion.init({
      input,
      output: new Output({ format: new WavOutputFormat(), target: discard }),
      showWarnings: false,
      video: { discard: true },
      audio: (candidate) =>
        candidate.id === track.id
          ? {
              codec: 'pcm-f32',
              ...mixed,
              forceTranscode: true,
              process: async (sample) => {
                const { from, to } = keptFrames(sample, mixed.sampleRate, window);
                if (to > from) await consume(sampleChunk(sample, from, to));
                return sample;
              },
            }
          : { discard: true },
    });
    if (!conversion.isValid) {
      const reasons = conversion.discardedTracks.map((discarded) => discarded.reason).join(', ');
      throw new NeedsFallbackError(`conversion not possible: ${reasons}`, true);
    }
    conversion.onProgress = onProgress;
    await runConversion(conversion, signal);
  };
}

/**
 * Encodes the sound `pass` reads on the parallel LAME encoders, its frames straight into the file, with a
 * first pass for "Even out loudness". The tags (a cover may mean decoding a video frame) are read meanwhile.
 */
async function encodeSound(
  pass: SoundPass,
  format: { sampleRate: number; numberOfChannels: number },
  window: KeptWindow,
  { tags, chapters }: SourceDetails,
  request: ConversionRequest,
  onProgress: ProgressListener,
  signal: AbortSignal,
): Promise<ConversionResult> {
  const { sampleRate, numberOfChannels: channels } = format;
  const file = new Mp3Writer(spillOf(request));
  const encoding = new SegmentedMp3Encoding(
    { sampleRate, channels, bitrate: request.bitrate },
    sharedEncoderPool(),
    (frames) => file.write(frames),
  );
  let encodedSamples = 0;
  try {
    const { gain, progress } = await loudnessGain(request, format, onProgress, (meter, measured) =>
      pass(async (chunk) => meter.add(chunkPlanes(chunk, channels).planes), measured),
    );
    const fades = activeFades(request.fades);
    const span = fades && fadeSpan(fades, sampleRate, window.end - window.start);
    await pass(async (chunk) => {
      await encoding.write(shaped(chunk, channels, gain, span, encodedSamples));
      encodedSamples += chunk.length;
      await file.ready;
    }, progress);
    if (encodedSamples === 0) throw nothingKept(window);
    await encoding.finish();
    const frames = lameFrameCount(encodedSamples);
    if (file.frameCount !== frames)
      throw new Error(`${file.frameCount} MP3 frames for ${encodedSamples} samples, where LAME writes ${frames}`);
    const gapless = computeGapless({ inputSamples: encodedSamples, frameCount: frames });
    return {
      mp3: await file.toBlob(
        await tags,
        { gapless, ...lameTagBitrate(request.bitrate) },
        chaptersInMp3(await chapters, window.start / sampleRate, encodedSamples / sampleRate),
      ),
      durationSeconds: encodedSamples / sampleRate,
    };
  } catch (error) {
    if (signal.aborted) throw cancelledError();
    // ffmpeg.wasm would only fail again on a full disk, after converting it all.
    if (error instanceof NeedsFallbackError || error instanceof ConversionError || error instanceof DiskFullError)
      throw error;
    throw new NeedsFallbackError(String(error), true);
  }
}

/**
 * The source's sound already is MP3 and the user keeps it as it is: its frames are copied, not encoded again.
 * When the container says how many samples to skip at the start (an edit list), a LAME tag carries that on;
 * otherwise the file plays exactly as the source's track does, decoder delay included.
 */
async function copyMp3Frames(
  track: InputAudioTrack,
  { tags, chapters }: SourceDetails,
  request: ConversionRequest,
  onProgress: ProgressListener,
  signal: AbortSignal,
): Promise<ConversionResult> {
  const file = new Mp3Writer(spillOf(request));
  const sampleRate = track.sampleRate;
  const duration = await track.computeDuration();
  let firstTimestamp: number | undefined;
  let samplesPerFrame = 0;
  try {
    for await (const packet of new EncodedPacketSink(track).packets()) {
      if (signal.aborted) throw cancelledError();
      firstTimestamp ??= packet.timestamp;
      samplesPerFrame ||= Math.round(packet.duration * sampleRate);
      file.write(packet.data);
      await file.ready;
      if (duration > 0) onProgress(Math.min(1, (packet.timestamp + packet.duration) / duration));
    }
  } catch (error) {
    if (error instanceof Mp3FrameError) throw new NeedsFallbackError(String(error), true);
    throw error;
  }
  const frames = file.frameCount;
  if (frames === 0) throw new NeedsFallbackError('no MP3 frames found', true);

  const skipped = Math.round(-(firstTimestamp ?? 0) * sampleRate);
  const keptSamples = Math.round(duration * sampleRate);
  let gapless: GaplessInfo | undefined;
  if (skipped >= MP3_DECODER_DELAY) {
    try {
      gapless = computeGapless({
        inputSamples: keptSamples,
        frameCount: frames,
        samplesPerFrame,
        encoderDelay: skipped - MP3_DECODER_DELAY,
      });
    } catch {
      // Delay or padding beyond what a LAME tag can hold: leave the file as the track plays.
    }
  }
  const playedSamples = gapless ? keptSamples : frames * samplesPerFrame;
  const mp3 = await file.toBlob(
    await tags,
    gapless && { gapless },
    chaptersInMp3(await chapters, 0, playedSamples / sampleRate),
  );
  return { mp3, durationSeconds: playedSamples / sampleRate };
}

/**
 * The **Format** `original`: the sound as it is, in its own container (an untrimmed MP3 through the MP3
 * writer, with its chapters); undefined when it has no container here, and is to become an MP3.
 */
async function keepOriginalSound(
  input: Input,
  track: InputAudioTrack,
  details: SourceDetails,
  request: ConversionRequest,
  onProgress: ProgressListener,
  signal: AbortSignal,
): Promise<ConversionResult | undefined> {
  const extension = containerForCodec(track.codec);
  if (!extension) return undefined;
  if (extension === 'mp3' && !request.trim) return copyMp3Frames(track, details, request, onProgress, signal);
  return copyOriginalSound(input, track, extension, details.tags, request, onProgress, signal);
}

/**
 * The source's sound tracks and chapters. A container mediabunny can't read lists no tracks (the ffmpeg
 * fallback converts its default one); chapters are read from the file itself either way.
 */
export async function describeSource(blob: Blob): Promise<SourceDescription> {
  const chapters = readChapters(blob);
  const input = await openInput(blob);
  try {
    const audio = await input.getAudioTracks().catch(() => []);
    const primary = await input.getPrimaryAudioTrack().catch(() => null);
    const tracks = await Promise.all(
      audio.map(async (track, index) => {
        const name = (await track.getName().catch(() => null))?.trim().slice(0, 200);
        return {
          index,
          languageCode: track.languageCode.slice(0, 35),
          ...(name ? { name } : {}),
          ...(track.codec ? { codec: track.codec } : {}),
          channels: Math.min(64, track.numberOfChannels),
          ...(track === primary ? { isDefault: true } : {}),
        };
      }),
    );
    return { tracks, chapters: (await chapters).map(({ title, startSeconds }) => ({ title, startSeconds })) };
  } finally {
    input.dispose();
  }
}

/** Streams the input through WebCodecs decoding and LAME (wasm) encoding, on every core. */
export const mediabunnyEngine: Engine = {
  describe: (blob) => describeSource(blob),
  async convert(
    request: ConversionRequest,
    onProgress: ProgressListener,
    signal: AbortSignal,
  ): Promise<ConversionResult> {
    warmUpMp3Encoders();
    const input = await openInput(request.input);
    try {
      const track = await openAudioTrack(input, request.trackIndex);
      const tags = mp3Tags(input, request);
      // A chapter's own MP3 needs no chapter list.
      const chapters = request.chapterFile ? Promise.resolve([]) : readChapters(request.input);
      if (request.format === 'original' && !activeFades(request.fades)) {
        const kept = await keepOriginalSound(input, track, { tags, chapters }, request, onProgress, signal);
        if (kept) return kept;
        const mp3 = await mediabunnyEngine.convert({ ...request, format: 'mp3' }, onProgress, signal);
        return { ...mp3, originalNotKept: codecLabel(track.codec) };
      }
      // A trim cuts inside MP3 frames and fades change the sound, so such sound is encoded again.
      if (request.keepMp3Audio && track.codec === 'mp3' && !request.trim && !activeFades(request.fades))
        return await copyMp3Frames(track, { tags, chapters }, request, onProgress, signal);
      const mixed = {
        sampleRate: outputSampleRate(track.sampleRate),
        numberOfChannels: outputChannels(track.numberOfChannels),
      };
      if (mixed.sampleRate === track.sampleRate && mixed.numberOfChannels === track.numberOfChannels) {
        const sound = await decodedSound(input, track, request.input);
        const window = keptWindow(sound.duration, mixed.sampleRate, request.trim);
        return await encodeSound(
          decodedPass(sound, mixed.sampleRate, window, signal),
          mixed,
          window,
          { tags, chapters },
          request,
          onProgress,
          signal,
        );
      }
      const window = keptWindow(await track.computeDuration(), mixed.sampleRate, request.trim);
      return await encodeSound(
        mixedPass(input, track, mixed, window, signal),
        mixed,
        window,
        { tags, chapters },
        request,
        onProgress,
        signal,
      );
    } finally {
      input.dispose();
    }
  },
};
