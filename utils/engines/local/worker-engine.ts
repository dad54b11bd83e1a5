import type { ConversionRequest, ConversionResult, Engine, ProgressListener } from '../engine';
import type { SourceDescription } from '../../outputs/output-plan';
import { ConversionError } from '../../failures';
import type { FromConversionWorker, ToConversionWorker } from './conversion-messages';

function startWorker(): Worker {
  return new Worker(new URL('./conversion.worker.ts', import.meta.url), { type: 'module', name: 'conversion' });
}

const send = (worker: Worker, message: ToConversionWorker) => worker.postMessage(message);

/**
 * The local engine with each conversion in a dedicated worker. A file that sends the decoder into
 * an endless loop freezes only that worker, and a cancelled or stalled job is stopped by terminating
 * it, which no code on the document's own thread could do. One warmed-up worker waits for the next job.
 */
export function workerEngine(): Engine {
  let spare: Worker | undefined;

  const takeWorker = (): Worker => {
    const worker = spare ?? startWorker();
    spare = undefined;
    return worker;
  };
  const giveBack = (worker: Worker) => {
    if (spare) worker.terminate();
    else spare = worker;
  };

  function convert(
    request: ConversionRequest,
    onProgress: ProgressListener,
    signal: AbortSignal,
  ): Promise<ConversionResult> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const worker = takeWorker();
    return new Promise<ConversionResult>((resolve, reject) => {
      const stop = () => {
        worker.terminate();
        reject(signal.reason);
      };
      signal.addEventListener('abort', stop, { once: true });
      const settle = (outcome: () => void, { reusable }: { reusable: boolean }) => {
        signal.removeEventListener('abort', stop);
        if (reusable) giveBack(worker);
        else worker.terminate();
        outcome();
      };
      worker.onmessage = ({ data }: MessageEvent<FromConversionWorker>) => {
        if (data.type === 'progress') onProgress(data.progress);
        else if (data.type === 'converted') settle(() => resolve(data.result), { reusable: true });
        else if (data.type === 'described')
          settle(() => reject(new Error('Unexpected description')), { reusable: false });
        // A failed conversion may have left ffmpeg.wasm or a decoder broken: the next job gets a fresh worker.
        else settle(() => reject(new ConversionError(data.reason, data.message)), { reusable: false });
      };
      worker.onerror = (event) =>
        settle(() => reject(new Error(`The conversion worker stopped: ${event.message}`)), { reusable: false });
      send(worker, { type: 'convert', request });
    });
  }

  /** The source's tracks and chapters, read in a worker of its own like a conversion (a hostile file freezes only it). */
  function describe(input: Blob, signal: AbortSignal): Promise<SourceDescription> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const worker = startWorker();
    return new Promise<SourceDescription>((resolve, reject) => {
      const stop = () => {
        worker.terminate();
        reject(signal.reason);
      };
      signal.addEventListener('abort', stop, { once: true });
      const settle = (outcome: () => void) => {
        signal.removeEventListener('abort', stop);
        worker.terminate();
        outcome();
      };
      worker.onmessage = ({ data }: MessageEvent<FromConversionWorker>) => {
        if (data.type === 'described') settle(() => resolve(data.description));
        else if (data.type === 'failed') settle(() => reject(new ConversionError(data.reason, data.message)));
      };
      worker.onerror = (event) => settle(() => reject(new Error(`The conversion worker stopped: ${event.message}`)));
      send(worker, { type: 'describe', input });
    });
  }

  return {
    describe,
    warmUp() {
      spare ??= startWorker();
      send(spare, { type: 'warm-up' });
    },
    convert,
  };
}
