import type { FromWaveformWorker, ToWaveformWorker } from './waveform-messages';

/**
 * Reads a file's waveform in a worker of its own (the page stays responsive however long the video);
 * `onMessage` hears how it goes. Returns what stops it.
 */
export function readWaveform(file: File, onMessage: (message: FromWaveformWorker) => void): () => void {
  const worker = new Worker(new URL('./waveform.worker.ts', import.meta.url), { type: 'module', name: 'waveform' });
  worker.onmessage = ({ data }: MessageEvent<FromWaveformWorker>) => onMessage(data);
  worker.onerror = () => onMessage({ type: 'failed', reason: 'internal' });
  worker.postMessage({ type: 'read', file } satisfies ToWaveformWorker);
  return () => worker.terminate();
}
