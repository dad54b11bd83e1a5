import type { EncoderRequest, EncoderResponse } from './encoder-messages';
import type { AllocatePlanes, EncodeSegment } from './segmented-encoding';

interface Task {
  request: EncoderRequest;
  resolve: (mp3: Uint8Array) => void;
  reject: (error: Error) => void;
}

/** LAME encoders in web workers, one per core (up to four), each encoding one segment at a time. */
export class Mp3EncoderPool {
  readonly size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
  private readonly idle: Worker[] = [];
  private readonly running = new Map<number, { worker: Worker; task: Task }>();
  private readonly queue: Task[] = [];
  private workerCount = 0;
  private nextId = 0;
  /** Planes the workers have handed back, for the next segments of the same length. */
  private readonly recycled: Float32Array[][] = [];

  readonly encode: EncodeSegment = (planes, format) =>
    new Promise((resolve, reject) => {
      const request: EncoderRequest = { id: this.nextId++, planes, format };
      this.queue.push({ request, resolve, reject });
      this.pump();
    });

  readonly allocatePlanes: AllocatePlanes = (channels, length) => {
    const index = this.recycled.findIndex((planes) => planes.length === channels && planes[0]?.length === length);
    if (index >= 0) {
      const planes = this.recycled.splice(index, 1)[0]!;
      for (const plane of planes) plane.fill(0);
      return planes;
    }
    return Array.from({ length: channels }, () => new Float32Array(length));
  };

  /** Starts the workers ahead of the first segment so their wasm is compiled by then. */
  warmUp(): void {
    while (this.workerCount < this.size) this.idle.push(this.startWorker());
  }

  private startWorker(): Worker {
    this.workerCount++;
    const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'mp3-encoder' });
    worker.onmessage = ({ data }: MessageEvent<EncoderResponse>) => this.settle(worker, data);
    worker.onerror = (event) => this.fail(worker, new Error(`MP3 encoder stopped: ${event.message}`));
    return worker;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workerCount < this.size ? this.startWorker() : undefined);
      if (!worker) return;
      const task = this.queue.shift()!;
      this.running.set(task.request.id, { worker, task });
      worker.postMessage(
        task.request,
        task.request.planes.map((plane) => plane.buffer as ArrayBuffer),
      );
    }
  }

  private settle(worker: Worker, response: EncoderResponse): void {
    const entry = this.running.get(response.id);
    if (!entry) return;
    this.running.delete(response.id);
    this.idle.push(worker);
    if ('mp3' in response) {
      // As many as can be in flight at once: enough for a whole conversion, however long. The oldest
      // go first: a conversion's first, shorter segments are not asked for again until the next one.
      this.recycled.push(response.planes);
      if (this.recycled.length > this.size + 1) this.recycled.shift();
      entry.task.resolve(response.mp3);
    } else entry.task.reject(new Error(`MP3 encoder failed: ${response.error}`));
    this.pump();
  }

  /** A worker that crashed is replaced; its segment fails, and so does the conversion it belongs to. */
  private fail(worker: Worker, error: Error): void {
    worker.terminate();
    this.workerCount--;
    for (const [id, entry] of this.running) {
      if (entry.worker !== worker) continue;
      this.running.delete(id);
      entry.task.reject(error);
    }
    this.pump();
  }
}

let shared: Mp3EncoderPool | undefined;

/** One pool per document, shared by every conversion in it. */
export function sharedEncoderPool(): Mp3EncoderPool {
  shared ??= new Mp3EncoderPool();
  return shared;
}
