import type { Input, MetadataTags } from 'mediabunny';
import { coverInWorker } from './cover-worker';
import type { ConversionRequest } from '../engine';
import { ALL_TAGS } from '../../tag-choices';

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
    const cover = source.images?.find((image) => image.kind === 'coverFront') ?? (await coverInWorker(request.input));
    if (cover) tags.images = [cover];
  }
  return tags;
}
