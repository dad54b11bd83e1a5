// mpd-parser ships no types; this is the part of its output the DASH reader uses (HLS-shaped playlists).
declare module 'mpd-parser' {
  export interface ByteRange {
    length: number;
    offset: number;
  }
  export interface MpdSegment {
    resolvedUri: string;
    duration: number;
    byterange?: ByteRange;
    map?: { resolvedUri: string; byterange?: ByteRange };
  }
  export interface MpdPlaylist {
    attributes: { BANDWIDTH?: number; CODECS?: string };
    resolvedUri?: string;
    segments: MpdSegment[];
    /** SegmentBase: one file whose `sidx` box lists its pieces. */
    sidx?: { resolvedUri: string; byterange: ByteRange };
    contentProtection?: unknown;
  }
  export interface MpdRendition {
    language?: string;
    default?: boolean;
    playlists?: MpdPlaylist[];
  }
  export interface MpdManifest {
    playlists?: MpdPlaylist[];
    mediaGroups?: { AUDIO?: Record<string, Record<string, MpdRendition>> };
    endList?: boolean;
  }
  /** One Representation with what it inherits from its AdaptationSet, Period and MPD. */
  export interface MpdRepresentationInfo {
    attributes: {
      periodStart?: number | null;
      type?: 'static' | 'dynamic';
      /** MPD@mediaPresentationDuration in seconds, 0 when absent. */
      sourceDuration?: number;
      minimumUpdatePeriod?: number;
      mimeType?: string;
      contentType?: string;
      role?: { value?: string };
    };
  }
  export type MpdXml = unknown;
  export function stringToMpdXml(manifest: string): MpdXml;
  export function inheritAttributes(
    mpd: MpdXml,
    options: { manifestUri: string },
  ): { representationInfo: MpdRepresentationInfo[] };
  export function toPlaylists(representations: MpdRepresentationInfo[]): unknown[];
  export function toM3u8(options: { dashPlaylists: unknown[] }): MpdManifest;
}
