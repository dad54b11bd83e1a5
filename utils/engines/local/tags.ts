import { VideoSampleSink, type AttachedImage, type Input, type MetadataTags } from 'mediabunny';
import type { ConversionRequest } from '../engine';
import { ALL_TAGS } from '../../tag-choices';

const COVER_MAX_SIDE = 600;
const COVER_QUALITY = 0.85;
/** A frame from early on, but past the black or fade-in many videos open with. */
const COVER_AT_FRACTION = 0.1;
const COVER_AT_MOST_SECONDS = 10;

/** Makes a tiny JPEG, so the first cover of a session doesn't also pay for starting the canvas and its JPEG encoder. */
export async function warmUpCoverArt(): Promise<void> {
  const canvas = new OffscreenCanvas(16, 16);
  canvas.getContext('2d')?.fillRect(0, 0, 16, 16);
  await canvas.convertToBlob({ type: 'image/jpeg', quality: COVER_QUALITY });
}

/** A JPEG of one of the video's frames, at most 600 px on its longer side. */
async function coverFromVideo(input: Input): Promise<AttachedImage | undefined> {
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

/**
 * The MP3's ID3 tags, as the user chose them: the title, the source's artist and album, and cover art
 * (the source's own, else a frame of the video). A tag that can't be read is left out, never a failure.
 */
export async function mp3Tags(input: Input, request: ConversionRequest): Promise<MetadataTags> {
  const choices = request.tags ?? ALL_TAGS;
  const source: MetadataTags = choices.artistAlbum || choices.cover ? await input.getMetadataTags().catch(() => ({})) : {};
  const tags: MetadataTags = {};
  if (choices.title) tags.title = request.title;
  if (choices.artistAlbum) {
    if (source.artist) tags.artist = source.artist;
    if (source.album) tags.album = source.album;
  }
  if (choices.cover) {
    const cover = source.images?.find((image) => image.kind === 'coverFront') ?? (await coverFromVideo(input).catch(() => undefined));
    if (cover) tags.images = [cover];
  }
  return tags;
}
