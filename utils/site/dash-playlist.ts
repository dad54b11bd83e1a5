import { parse, type MpdManifest, type MpdPlaylist, type MpdSegment } from 'mpd-parser';
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

const range = (byterange: { length: number; offset: number }) => `${byterange.length}@${byterange.offset}`;
const quoted = (value: string) => `"${value.replace(/"/g, '%22')}"`;

function mapTag(map: NonNullable<MpdSegment['map']>): string {
  return `#EXT-X-MAP:URI=${quoted(map.resolvedUri)}${map.byterange ? `,BYTERANGE="${range(map.byterange)}"` : ''}`;
}

/** The representation's pieces as an HLS media playlist, for mediabunny's HLS input; periods become discontinuities. */
function hlsPlaylistOf(playlist: MpdPlaylist): string {
  const longest = Math.max(1, ...playlist.segments.map((segment) => segment.duration));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.ceil(longest)}`,
    '#EXT-X-PLAYLIST-TYPE:VOD',
  ];
  let map: string | undefined;
  let timeline: number | undefined;
  for (const segment of playlist.segments) {
    if (timeline !== undefined && (segment.discontinuity || segment.timeline !== timeline))
      lines.push('#EXT-X-DISCONTINUITY');
    timeline = segment.timeline;
    const segmentMap = segment.map && mapTag(segment.map);
    if (segmentMap && segmentMap !== map) lines.push(segmentMap);
    map = segmentMap;
    lines.push(`#EXTINF:${segment.duration.toFixed(6)},`);
    if (segment.byterange) lines.push(`#EXT-X-BYTERANGE:${range(segment.byterange)}`);
    lines.push(segment.resolvedUri);
  }
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

export type DashSound =
  /** Pieces listed by a template, a timeline or a list: read as an HLS media playlist. */
  | { kind: 'pieces'; playlist: string }
  /** SegmentBase: one file (its `sidx` lists the pieces), read as a fragmented MP4. */
  | { kind: 'file'; url: string };

/** Reads an MPD: copy protection and live streams are refused; else where the chosen sound is. */
export function dashSoundOf(mpd: string, url: string, language?: string): DashSound {
  if (/<ContentProtection\b/.test(mpd)) throw new ConversionError('drm');
  if (/<MPD[^>]*\btype\s*=\s*["']dynamic["']/.test(mpd)) throw new ConversionError('stream-live');
  let manifest: MpdManifest;
  try {
    manifest = parse(mpd, { manifestUri: url });
  } catch (error) {
    throw new ConversionError('stream-unreadable', String(error));
  }
  const playlist = pickDashSound(manifest, language, /<Role\b[^>]*\bvalue\s*=\s*["']main["']/.test(mpd));
  if (!playlist) throw new ConversionError('no-audio');
  if (playlist.segments.length > 0) return { kind: 'pieces', playlist: hlsPlaylistOf(playlist) };
  const file = playlist.sidx?.resolvedUri ?? playlist.resolvedUri;
  if (!file) throw new ConversionError('stream-unreadable', 'a representation without pieces or a file');
  return { kind: 'file', url: file };
}
