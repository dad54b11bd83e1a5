import {
  inheritAttributes,
  stringToMpdXml,
  toM3u8,
  toPlaylists,
  type MpdManifest,
  type MpdPlaylist,
  type MpdRepresentationInfo,
  type MpdSegment,
} from 'mpd-parser';
import { ConversionError } from '../failures';

/** Leading subtags compared: `en-US` matches a track marked `en` or `eng`. */
export function sameLanguage(trackLanguage: string | undefined, pageLanguage: string | undefined): boolean {
  if (!pageLanguage || !trackLanguage) return false;
  const page = pageLanguage.toLowerCase().split('-')[0] ?? '';
  const track = trackLanguage.toLowerCase().split('-')[0] ?? '';
  return page.length >= 2 && (track === page || (track.length === 3 && track.startsWith(page)));
}

const AUDIO_CODECS = /^(mp4a|ac-3|ec-3|opus|flac|mp3|vorbis)/i;
const bandwidth = (playlist: MpdPlaylist) => playlist.attributes.BANDWIDTH ?? 0;

/**
 * The representation to fetch: from an audio AdaptationSet, the default one (else the page's language,
 * else the first) at its best bitrate; with the sound only in the video, the cheapest representation.
 */
function pickDashSound(
  manifest: MpdManifest,
  language: string | undefined,
  /** An AdaptationSet has the `main` Role; without one, mpd-parser calls the first one the default. */
  hasMain: boolean,
): MpdPlaylist | undefined {
  const renditions = Object.values(manifest.mediaGroups?.AUDIO ?? {}).flatMap((group) => Object.values(group));
  const withPlaylists = renditions.filter((rendition) => rendition.playlists?.length);
  const rendition =
    (hasMain ? withPlaylists.find((candidate) => candidate.default) : undefined) ??
    withPlaylists.find((candidate) => sameLanguage(candidate.language, language)) ??
    withPlaylists[0];
  if (rendition) return [...rendition.playlists!].sort((a, b) => bandwidth(b) - bandwidth(a))[0];
  const muxed = (manifest.playlists ?? []).filter((playlist) =>
    (playlist.attributes.CODECS ?? '').split(',').some((codec) => AUDIO_CODECS.test(codec.trim())),
  );
  return muxed.sort((a, b) => bandwidth(a) - bandwidth(b))[0];
}

/**
 * The representations of each Period, in order. mpd-parser joins periods only where a representation
 * keeps its id and BaseURL, so each period is read on its own and its sound picked by itself.
 */
function periodsOf(representations: MpdRepresentationInfo[]): MpdRepresentationInfo[][] {
  const periods = new Map<number | null | undefined, MpdRepresentationInfo[]>();
  for (const representation of representations) {
    const start = representation.attributes.periodStart;
    periods.set(start, [...(periods.get(start) ?? []), representation]);
  }
  return [...periods.values()];
}

const isAudio = ({ attributes }: MpdRepresentationInfo) =>
  attributes.contentType === 'audio' || /^audio\//.test(attributes.mimeType ?? '');

const range = (byterange: { length: number; offset: number }) => `${byterange.length}@${byterange.offset}`;
const quoted = (value: string) => `"${value.replace(/"/g, '%22')}"`;

function mapTag(map: NonNullable<MpdSegment['map']>): string {
  return `#EXT-X-MAP:URI=${quoted(map.resolvedUri)}${map.byterange ? `,BYTERANGE="${range(map.byterange)}"` : ''}`;
}

/** A live stream's playlist: each piece's media sequence number, and whether the stream has ended. */
export interface LiveListing {
  sequenceOf(segment: MpdSegment): number;
  ended: boolean;
}

/**
 * The chosen sound's pieces, period after period, as an HLS media playlist for mediabunny's HLS input:
 * a discontinuity between periods (each restarts its timestamps). A live one has a media sequence and
 * no end until the stream ends.
 */
export function hlsPlaylistOf(periods: MpdSegment[][], live?: LiveListing): string {
  const segments = periods.flat();
  const longest = Math.max(1, ...segments.map((segment) => segment.duration));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${Math.ceil(longest)}`];
  if (!live) lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
  else if (segments[0]) lines.push(`#EXT-X-MEDIA-SEQUENCE:${live.sequenceOf(segments[0])}`);
  let map: string | undefined;
  periods.forEach((period, index) => {
    if (index > 0 && period.length > 0) lines.push('#EXT-X-DISCONTINUITY');
    for (const segment of period) {
      const segmentMap = segment.map && mapTag(segment.map);
      if (segmentMap && segmentMap !== map) lines.push(segmentMap);
      map = segmentMap;
      lines.push(`#EXTINF:${segment.duration.toFixed(6)},`);
      if (segment.byterange) lines.push(`#EXT-X-BYTERANGE:${range(segment.byterange)}`);
      lines.push(segment.resolvedUri);
    }
  });
  if (!live || live.ended) lines.push('#EXT-X-ENDLIST');
  lines.push('');
  return lines.join('\n');
}

export type DashSound =
  /**
   * Pieces listed by a template, a timeline or a list, per period: read as an HLS media playlist.
   * `live`: a dynamic MPD, read again for new pieces; `ended` once it says no more will come.
   */
  | { kind: 'pieces'; periods: MpdSegment[][]; live: boolean; ended: boolean }
  /** SegmentBase: one file (its `sidx` lists the pieces), read as a fragmented MP4. */
  | { kind: 'file'; url: string };

/** Reads an MPD: copy protection is refused; else where the chosen sound is, period by period. */
export function dashSoundOf(mpd: string, url: string, language?: string): DashSound {
  if (/<ContentProtection\b/.test(mpd)) throw new ConversionError('drm');
  let periods: { manifest: MpdManifest; hasMain: boolean }[];
  let first: MpdRepresentationInfo['attributes'] | undefined;
  try {
    const { representationInfo } = inheritAttributes(stringToMpdXml(mpd), { manifestUri: url });
    first = representationInfo[0]?.attributes;
    periods = periodsOf(representationInfo).map((representations) => ({
      manifest: toM3u8({ dashPlaylists: toPlaylists(representations) }),
      hasMain: representations.some(
        (representation) => isAudio(representation) && representation.attributes.role?.value === 'main',
      ),
    }));
  } catch (error) {
    throw new ConversionError('stream-unreadable', String(error));
  }
  const playlists = periods.map(({ manifest, hasMain }) => pickDashSound(manifest, language, hasMain));
  if (playlists.length === 0 || playlists.some((playlist) => !playlist)) throw new ConversionError('no-audio');
  const chosen = playlists as MpdPlaylist[];
  if (chosen.every((playlist) => playlist.segments.length > 0)) {
    const live = first?.type === 'dynamic';
    // A dynamic MPD that gives the stream's length, or won't be updated again, lists its last pieces.
    const ended = !live || Boolean(first?.sourceDuration) || !first?.minimumUpdatePeriod;
    return { kind: 'pieces', periods: chosen.map((playlist) => playlist.segments), live, ended };
  }
  const file = chosen.length === 1 ? (chosen[0]!.sidx?.resolvedUri ?? chosen[0]!.resolvedUri) : undefined;
  if (!file)
    throw new ConversionError(
      'stream-unreadable',
      'a representation without pieces or a file, or SegmentBase in several periods',
    );
  return { kind: 'file', url: file };
}
