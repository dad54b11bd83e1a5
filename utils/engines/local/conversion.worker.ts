import { ConversionError, failureReasonOf } from '../../failures';
import type { FromConversionWorker, ToConversionWorker } from './conversion-messages';
import { localEngine } from './local-engine';
import { describeSource } from './mediabunny-engine';
import { throttleProgress } from '../../timing/progress-throttle';

const post = (message: FromConversionWorker) => self.postMessage(message);

self.onmessage = async ({ data }: MessageEvent<ToConversionWorker>) => {
  if (data.type === 'warm-up') {
    localEngine.warmUp?.();
    return;
  }
  if (data.type === 'describe') {
    try {
      post({ type: 'described', description: await describeSource(data.input) });
    } catch (error) {
      post({ type: 'failed', reason: failureReasonOf(error), message: String(error) });
    }
    return;
  }
  const { request } = data;
  try {
    const result = await localEngine.convert(
      request,
      throttleProgress((progress) => post({ type: 'progress', progress })),
      // The worker is terminated to stop a conversion: nothing here aborts it.
      new AbortController().signal,
    );
    post({ type: 'converted', result });
  } catch (error) {
    if (!(error instanceof ConversionError)) console.error(`Converting ${request.fileName} failed`, error);
    post({ type: 'failed', reason: failureReasonOf(error), message: String(error) });
  }
};
