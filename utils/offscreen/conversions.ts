import type { Engine } from '../engines/engine';
import { failureReasonOf } from '../failures';
import { getBlob, putBlob } from '../blob-store';
import { ConversionError } from '../failures';
import { sendMessage, type MessageData } from '../messages';

const PROGRESS_INTERVAL_MS = 200;
const REPORT_ATTEMPTS = 5;

/** Sends a report to the background, retrying while a stopped service worker starts again. */
async function report<T extends 'job:progress' | 'job:converted' | 'job:failed'>(type: T, data: MessageData<T>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sendMessage(type, data);
      return;
    } catch (error) {
      if (type === 'job:progress' || attempt >= REPORT_ATTEMPTS) return;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/** Runs conversions in this document and reports each one's progress and outcome to the background. */
export class ConversionHost {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly engine: Engine) {}

  runningJobIds(): string[] {
    return [...this.running.keys()];
  }

  start(request: MessageData<'offscreen:convert'>): void {
    if (this.running.has(request.jobId)) return;
    const controller = new AbortController();
    this.running.set(request.jobId, controller);
    void this.run(request, controller.signal).finally(() => this.running.delete(request.jobId));
  }

  cancel(jobId: string): void {
    this.running.get(jobId)?.abort();
  }

  private async run({ jobId, inputKey, fileName, bitrate, title }: MessageData<'offscreen:convert'>, signal: AbortSignal) {
    try {
      await report('job:progress', { jobId, phase: 'reading', progress: 0 });
      const input = await getBlob('inputs', inputKey);
      if (!input) throw new ConversionError('input-missing');
      let lastReport = 0;
      const onProgress = (progress: number) => {
        const now = Date.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        void report('job:progress', { jobId, phase: 'converting', progress: Math.min(1, Math.max(0, progress)) });
      };
      const result = await this.engine.convert({ input, fileName, bitrateKbps: bitrate, title }, onProgress, signal);
      if (signal.aborted) return;
      await putBlob('outputs', jobId, result.mp3);
      await report('job:converted', { jobId, outputKey: jobId, size: result.mp3.size, durationSeconds: result.durationSeconds });
    } catch (error) {
      if (signal.aborted) return;
      if (!(error instanceof ConversionError)) console.error(`Converting ${fileName} failed`, error);
      await report('job:failed', { jobId, reason: failureReasonOf(error) });
    }
  }
}
