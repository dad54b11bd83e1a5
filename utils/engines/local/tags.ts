import {
  IsobmffInputFormat,
  VideoSample,
  VideoSampleSink,
  type AttachedImage,
  type Input,
  type InputVideoTrack,
  type MetadataTags,
} from 'mediabunny';
import { readKeyFrame } from './mp4/key-frame';
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

function coverSeconds(durationSeconds: number): number {
  return Math.min(durationSeconds * COVER_AT_FRACTION, COVER_AT_MOST_SECONDS);
}

/** The cover's key frame from the sample table, decoded on its own: a VideoDecoder needs nothing before one. */
async function keyFrameAlone(track: InputVideoTrack, blob: Blob): Promise<VideoFrame | null> {
  const config = await track.getDecoderConfig();
  const keyFrame = config && (await readKeyFrame(blob, track.id, coverSeconds));
  if (!config || !keyFrame) return null;
  let frame: VideoFrame | undefined;
  const decoder = new VideoDecoder({
    output: (output) => {
      if (frame) output.close();
      else frame = output;
    },
    error: () => {},
  });
  try {
    decoder.configure(config);
    decoder.decode(new EncodedVideoChunk({ type: 'key', timestamp: 0, data: keyFrame.data }));
    await decoder.flush();
  } catch (error) {
    frame?.close();
    throw error;
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  if (!frame) throw new Error('The key frame decoded to nothing.');
  return frame;
}

/**
 * The frame for the cover. In an unfragmented MP4 or QuickTime file, its key frame is found in the
 * sample table in place and decoded alone; mediabunny's sink would first read the whole table into
 * objects that the Input then keeps for the rest of the conversion.
 */
async function coverFrame(input: Input, track: InputVideoTrack, blob: Blob): Promise<VideoSample | null> {
  if ((await input.getFormat()) instanceof IsobmffInputFormat) {
    const frame = await keyFrameAlone(track, blob).catch(() => null);
    if (frame) return new VideoSample(frame);
  }
  return new VideoSampleSink(track).getSample(coverSeconds(await track.computeDuration()));
}

/** A JPEG of one of the video's frames, at most 600 px on its longer side. */
async function coverFromVideo(input: Input, blob: Blob): Promise<AttachedImage | undefined> {
  const track = await input.getPrimaryVideoTrack();
  if (!track || !(await track.canDecode())) return undefined;
  const frame = await coverFrame(input, track, blob);
  if (!frame) return undefined;
  try {
    const scale = Math.min(1, COVER_MAX_SIDE / Math.max(frame.displayWidth, frame.displayHeight));
    const canvas = new OffscreenCanvas(Math.round(frame.displayWidth * scale), Math.round(frame.displayHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    frame.draw(context, 0, 0, canvas.width, canvas.height);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: COVER_QUALITY });
    return { data: new Uint8Array(await jpeg.arrayBuffer()), mimeType: 'image/jpeg', kind: 'coverFront' };
  } finally {
    frame.close();
  }
}

/**
 * The MP3's ID3 tags, as the user chose them: the title, the source's artist and album, and cover art
 * (the source's own, else the page's poster, else a frame of the video). A tag that can't be read is left out, never a failure.
 */
export async function mp3Tags(input: Input, request: ConversionRequest): Promise<MetadataTags> {
  const choices = request.tags ?? ALL_TAGS;
  const source: MetadataTags =
    choices.artistAlbum || choices.cover ? await input.getMetadataTags().catch(() => ({})) : {};
  const tags: MetadataTags = {};
  if (choices.title) tags.title = request.title;
  if (choices.artistAlbum) {
    if (source.artist) tags.artist = source.artist;
    if (source.album) tags.album = source.album;
  }
  if (request.chapterFile) {
    tags.album = request.chapterFile.album;
    tags.trackNumber = request.chapterFile.trackNumber;
    tags.tracksTotal = request.chapterFile.tracksTotal;
  }
  if (choices.cover) {
    const cover =
      source.images?.find((image) => image.kind === 'coverFront') ??
      (request.cover && { ...request.cover, kind: 'coverFront' }) ??
      (await coverFromVideo(input, request.input).catch(() => undefined));
    if (cover) tags.images = [cover];
  }
  return tags;
}
