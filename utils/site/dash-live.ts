import type { MpdSegment } from 'mpd-parser';
import { ConversionError } from '../failures';
import { dashSoundOf, hlsPlaylistOf } from './dash-playlist';

const pieceKey = (segment: MpdSegment) =>
  segment.byterange ? `${segment.resolvedUri} ${segment.byterange.offset}` : segment.resolvedUri;

/**
 * A live DASH stream (a dynamic MPD) as a live HLS media playlist, so mediabunny's live HLS reader and
 * the recorder built on it take it as they take live HLS. Each call reads the MPD again and lists the
 * chosen sound's pieces; a piece keeps the media sequence number it got when first listed, which is how
 * the reader tells the new pieces from those it has. The list ends once the MPD says the stream has.
 */
export function liveDashPlaylist(
  firstMpd: string,
  readMpd: () => Promise<string>,
  url: string,
  language?: string,
): () => Promise<string> {
  const sequence = new Map<string, number>();
  let unread: string | undefined = firstMpd;
  return async () => {
    const mpd = unread ?? (await readMpd());
    unread = undefined;
    const sound = dashSoundOf(mpd, url, language);
    if (sound.kind !== 'pieces') throw new ConversionError('stream-unreadable', 'a live MPD whose sound is one file');
    for (const segment of sound.periods.flat())
      if (!sequence.has(pieceKey(segment))) sequence.set(pieceKey(segment), sequence.size);
    return hlsPlaylistOf(sound.periods, {
      sequenceOf: (segment) => sequence.get(pieceKey(segment))!,
      ended: sound.ended,
    });
  };
}
