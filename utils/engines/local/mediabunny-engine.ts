import {
  ALL_FORMATS,
  BlobSource,
  Conversion,
  ConversionCanceledError,
  Input,
  Mp3OutputFormat,
  Output,
  StreamTarget,
  type AudioSample,
  type InputAudioTrack,
  type StreamTargetChunk,
} from 'mediabunny';
import { registerMp3Encoder } from '@mediabunny/mp3-encoder';
import type { ConversionRequest, ConversionResult, Engine, ProgressListener } from '../engine';
import { ConversionError } from '../../failures';
import { BlobWriter, overwrite } from './blob-writer';
import { outputChannels, outputSampleRate } from './audio-layout';
import { patchMediabunnyXingFrame } from './lame-tag';

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

let encoderRegistered = false;
function ensureMp3Encoder(): void {
  if (encoderRegistered) return;
  registerMp3Encoder();
  encoderRegistered = true;
}

async function openAudioTrack(input: Input): Promise<InputAudioTrack> {
  let containerRecognised = false;
  try {
    await input.getFormat();
    containerRecognised = true;
    await input.getTracks();
  } catch (error) {
    throw new NeedsFallbackError(String(error), containerRecognised);
  }
  const track = await input.getPrimaryAudioTrack();
  if (!track) {
    const hasVideo = (await input.getPrimaryVideoTrack()) !== null;
    if (hasVideo) throw new ConversionError('no-audio');
    throw new NeedsFallbackError('no tracks found', true);
  }
  if (!(await track.canDecode())) throw new NeedsFallbackError(`cannot decode ${track.codec ?? 'unknown codec'}`, true);
  return track;
}

/** Streams the input through WebCodecs decoding and LAME (wasm) encoding. */
export const mediabunnyEngine: Engine = {
  async convert(request: ConversionRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<ConversionResult> {
    ensureMp3Encoder();
    const input = new Input({ source: new BlobSource(request.input), formats: ALL_FORMATS });
    try {
      const track = await openAudioTrack(input);
      const sampleRate = outputSampleRate(track.sampleRate);
      const numberOfChannels = outputChannels(track.numberOfChannels);

      const writer = new BlobWriter();
      let xingFrame: { data: Uint8Array; position: number } | undefined;
      const target = new StreamTarget(
        new WritableStream<StreamTargetChunk>({
          write(chunk) {
            // The muxer goes back only to rewrite the Xing frame; we patch that from onXingFrame below.
            if (chunk.position === writer.size) writer.append(chunk.data);
            else if (chunk.position > writer.size) throw new Error('MP3 writer skipped ahead');
          },
        }),
      );
      const output = new Output({
        format: new Mp3OutputFormat({ onXingFrame: (data, position) => (xingFrame = { data: data.slice(), position }) }),
        target,
      });

      let encodedSamples = 0;
      const countSamples = (sample: AudioSample): AudioSample => {
        encodedSamples += sample.numberOfFrames;
        return sample;
      };
      const conversion = await Conversion.init({
        input,
        output,
        showWarnings: false,
        video: { discard: true },
        audio: (candidate) =>
          candidate.id === track.id
            ? {
                codec: 'mp3',
                bitrate: request.bitrateKbps * 1000,
                sampleRate,
                numberOfChannels,
                forceTranscode: true,
                process: countSamples,
                processedSampleRate: sampleRate,
                processedNumberOfChannels: numberOfChannels,
              }
            : { discard: true },
        tags: { title: request.title },
      });
      if (!conversion.isValid) {
        const reasons = conversion.discardedTracks.map((discarded) => discarded.reason).join(', ');
        throw new NeedsFallbackError(`conversion not possible: ${reasons}`, true);
      }
      conversion.onProgress = (progress) => onProgress(progress);
      const cancel = () => void conversion.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        await conversion.execute();
      } catch (error) {
        if (error instanceof ConversionCanceledError || signal.aborted) throw new DOMException('Cancelled', 'AbortError');
        throw new NeedsFallbackError(String(error), true);
      } finally {
        signal.removeEventListener('abort', cancel);
      }
      if (encodedSamples === 0) throw new NeedsFallbackError('no audio samples decoded', true);

      let mp3 = writer.toBlob('audio/mpeg');
      if (xingFrame) {
        const { frame } = patchMediabunnyXingFrame(xingFrame.data, { inputSamples: encodedSamples, bitrateKbps: request.bitrateKbps });
        mp3 = overwrite(mp3, xingFrame.position, frame);
      }
      return { mp3, durationSeconds: encodedSamples / sampleRate };
    } finally {
      input.dispose();
    }
  },
};
