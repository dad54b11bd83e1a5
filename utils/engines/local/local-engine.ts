import type { Engine } from '../engine';
import { ConversionError } from '../../failures';
import { describeSource, mediabunnyEngine, NeedsFallbackError, warmUpMp3Encoders } from './mediabunny-engine';
import { createFfmpegEngine } from './ffmpeg-engine';
import { warmUpCoverArt } from './tags';

/** On this device: mediabunny streams what it can read; ffmpeg.wasm takes the rest. */
export const localEngine: Engine = {
  warmUp() {
    warmUpMp3Encoders();
    void warmUpCoverArt().catch(() => undefined);
  },
  describe: (input) => describeSource(input),
  async convert(request, onProgress, signal) {
    if (request.input.size === 0) throw new ConversionError('empty');
    try {
      return await mediabunnyEngine.convert(request, onProgress, signal);
    } catch (error) {
      if (!(error instanceof NeedsFallbackError) || signal.aborted) throw error;
      onProgress(0);
      return createFfmpegEngine(error.containerRecognised).convert(request, onProgress, signal);
    }
  },
};
