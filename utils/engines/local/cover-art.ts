import { VideoSampleSink, type AttachedImage, type Input } from 'mediabunny';

const COVER_MAX_SIDE = 600;
const COVER_QUALITY = 0.85;
/** A frame from early on, but past the black or fade-in many videos open with. */
const COVER_AT_FRACTION = 0.1;
const COVER_AT_MOST_SECONDS = 10;

/** Makes a tiny JPEG, so the first cover doesn't also pay for starting the canvas and its JPEG encoder. */
export async function warmUpJpegEncoder(): Promise<void> {
  const canvas = new OffscreenCanvas(16, 16);
  canvas.getContext('2d')?.fillRect(0, 0, 16, 16);
  await canvas.convertToBlob({ type: 'image/jpeg', quality: COVER_QUALITY });
}

/** A JPEG of one of the video's frames, at most 600 px on its longer side. */
export async function coverFromVideo(input: Input): Promise<AttachedImage | undefined> {
  const track = await input.getPrimaryVideoTrack();
  if (!track || !(await track.canDecode())) return undefined;
  const duration = await track.computeDuration();
  const sample = await new VideoSampleSink(track).getSample(Math.min(duration * COVER_AT_FRACTION, COVER_AT_MOST_SECONDS));
  if (!sample) return undefined;
  try {
    const scale = Math.min(1, COVER_MAX_SIDE / Math.max(sample.displayWidth, sample.displayHeight));
    const canvas = new OffscreenCanvas(Math.round(sample.displayWidth * scale), Math.round(sample.displayHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    sample.draw(context, 0, 0, canvas.width, canvas.height);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: COVER_QUALITY });
    return { data: new Uint8Array(await jpeg.arrayBuffer()), mimeType: 'image/jpeg', kind: 'coverFront' };
  } finally {
    sample.close();
  }
}
