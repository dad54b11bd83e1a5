import { ConversionError, failureReasonOf } from '../../../failures';
import { openInput } from '../blob-window-source';
import { readChapters } from '../chapters/read-chapters';
import { decodedSound, NeedsFallbackError, openAudioTrack } from '../mediabunny-engine';
import { PeakBuilder, samplesPerPeak } from './peaks';
import type { FromWaveformWorker, ToWaveformWorker, WaveformFailure } from './waveform-messages';

/** How often peaks go to the page while the sound is decoded: the waveform fills in at this pace. */
const POST_EVERY_MS = 100;

function post(message: FromWaveformWorker): void {
  if (message.type === 'peaks') self.postMessage(message, { transfer: [message.pairs.buffer] });
  else self.postMessage(message);
}

/** An AVI file (RIFF "AVI "), which only the ffmpeg.wasm fallback reads: a video still, not "not a video". */
async function isAvi(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const text = String.fromCharCode(...head);
  return text.startsWith('RIFF') && text.slice(8, 12) === 'AVI ';
}

async function failureOf(error: unknown, file: File): Promise<WaveformFailure> {
  if (!(error instanceof NeedsFallbackError)) return failureReasonOf(error);
  if (error.containerRecognised || (await isAvi(file).catch(() => false))) return 'editor-unreadable';
  return 'not-a-video';
}

/**
 * Decodes the file's sound as the local engine does, read through the File a window at a time (never
 * whole), and sends its peaks as they are made.
 */
async function readPeaks(file: File): Promise<void> {
  if (file.size === 0) throw new ConversionError('empty');
  const input = await openInput(file);
  try {
    const track = await openAudioTrack(input);
    const sound = await decodedSound(input, track, file);
    const rate = track.sampleRate;
    const perPeak = samplesPerPeak(sound.duration, rate);
    post({ type: 'opened', durationSeconds: sound.duration, peaksPerSecond: rate / perPeak });
    // Read beside the sound, from the container's own boxes or elements: a few small reads.
    const chapters = readChapters(file).then((found) => {
      if (found.length > 0) post({ type: 'chapters', chapters: found });
    });
    const builder = new PeakBuilder(perPeak);
    let planes: Float32Array[] = [];
    let posted = performance.now();
    for await (const sample of sound.from(0, undefined)) {
      const from = Math.max(0, -Math.round(sample.timestamp * rate));
      const length = sample.numberOfFrames - from;
      if (length <= 0) continue;
      if ((planes[0]?.length ?? 0) < length)
        planes = Array.from({ length: track.numberOfChannels }, () => new Float32Array(length));
      planes.forEach((plane, planeIndex) =>
        sample.copyTo(plane.subarray(0, length), {
          planeIndex,
          format: 'f32-planar',
          frameOffset: from,
          frameCount: length,
        }),
      );
      builder.add(planes, length);
      if (performance.now() - posted >= POST_EVERY_MS) {
        post({ type: 'peaks', pairs: builder.take() });
        posted = performance.now();
      }
    }
    post({ type: 'peaks', pairs: builder.finish() });
    await chapters;
    post({ type: 'done' });
  } finally {
    input.dispose();
  }
}

self.onmessage = async ({ data }: MessageEvent<ToWaveformWorker>) => {
  try {
    await readPeaks(data.file);
  } catch (error) {
    if (!(error instanceof ConversionError) && !(error instanceof NeedsFallbackError))
      console.error(`Reading the sound of ${data.file.name} failed`, error);
    post({ type: 'failed', reason: await failureOf(error, data.file) });
  }
};
