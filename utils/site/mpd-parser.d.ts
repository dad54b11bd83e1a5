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
    timeline?: number;
    discontinuity?: boolean;
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
  export function parse(manifest: string, options: { manifestUri: string }): MpdManifest;
}
