import type { AttachedImage } from 'mediabunny';

/**
 * A cover that takes longer than this is left out: the sound waits for the cover, and a cover that
 * never came would otherwise hold the whole conversion up until the stall limit gave it up.
 */
export const COVER_TIME_LIMIT_MS = 20_000;

let warmWorker: Worker | undefined;

function startCoverWorker(): Worker {
  return new Worker(new URL('./cover.worker.ts', import.meta.url), { type: 'module', name: 'cover-art' });
}

/** Starts the next cover's worker ahead of its job, so the cover doesn't wait for the worker and its JPEG encoder to start. */
export function warmUpCoverArt(): void {
  warmWorker ??= startCoverWorker();
}

/**
 * A cover made from a frame of the video, in a worker of its own that is let go once the JPEG is
 * back. For it mediabunny reads the video track's whole sample table into objects (tens of
 * megabytes for an hour of video) and the video decoder keeps its frame buffers: in the
 * conversion's own worker all of that stayed until the conversion ended.
 */
export function coverInWorker(video: Blob): Promise<AttachedImage | undefined> {
  const worker = warmWorker ?? startCoverWorker();
  warmWorker = undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<AttachedImage | undefined>((resolve) => {
    worker.onmessage = ({ data }: MessageEvent<AttachedImage | null>) => resolve(data ?? undefined);
    worker.onerror = () => resolve(undefined);
    timer = setTimeout(() => {
      console.warn(`No cover: making it took longer than ${COVER_TIME_LIMIT_MS / 1000} s`);
      resolve(undefined);
    }, COVER_TIME_LIMIT_MS);
    worker.postMessage(video);
  }).finally(() => {
    clearTimeout(timer);
    worker.terminate();
  });
}
