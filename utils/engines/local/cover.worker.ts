import type { AttachedImage } from 'mediabunny';
import { openInput } from './blob-window-source';
import { coverFromVideo, warmUpJpegEncoder } from './cover-art';

void warmUpJpegEncoder().catch(() => undefined);

self.onmessage = async ({ data: video }: MessageEvent<Blob>) => {
  let cover: AttachedImage | undefined;
  try {
    cover = await coverFromVideo(await openInput(video));
  } catch {
    // No cover, as with a video that has no frame to take one from.
  }
  self.postMessage(cover ?? null);
};
