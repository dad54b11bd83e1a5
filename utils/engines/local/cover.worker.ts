import { ALL_FORMATS, CustomSource, Input, type AttachedImage } from 'mediabunny';
import { coverFromVideo, warmUpJpegEncoder } from './cover-art';

void warmUpJpegEncoder().catch(() => undefined);

/**
 * Each read is a whole `slice()` of the stored video, never a stream of it: this worker is cut off
 * once the cover is back, and readers of the stored video closed while the sound is still being
 * read have been seen to stall the sound's own reader.
 */
function sliceSource(video: Blob): CustomSource {
  return new CustomSource({
    getSize: () => video.size,
    read: async (start, end) => new Uint8Array(await video.slice(start, end).arrayBuffer()),
    prefetchProfile: 'fileSystem',
  });
}

self.onmessage = async ({ data: video }: MessageEvent<Blob>) => {
  let cover: AttachedImage | undefined;
  try {
    cover = await coverFromVideo(new Input({ source: sliceSource(video), formats: ALL_FORMATS }));
  } catch {
    // No cover, as with a video that has no frame to take one from.
  }
  self.postMessage(cover ?? null);
};
