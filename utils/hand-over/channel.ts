/**
 * A File chosen in the popup or the editor is handed to the conversion site over this channel: a File
 * clones across the extension's pages, which runtime messages (JSON) can't carry. The site converts it at
 * once and copies it into IndexedDB beside that, for a job that has to resume after a restart.
 */
export const HAND_OVER_CHANNEL = 'video-to-mp3:hand-over';

export type HandOverMessage =
  /** page → site: the file to keep under `inputKey`. */
  | { type: 'file'; inputKey: string; file: File }
  /** site → page: the file is there; it converts from it from now on. */
  | { type: 'taken'; inputKey: string }
  /** site → page: bytes of the copy stored so far. */
  | { type: 'stored'; inputKey: string; bytes: number }
  /** site → page: the whole copy is stored. */
  | { type: 'kept'; inputKey: string }
  /** site → page: the copy failed; the job that converts it is withdrawn. */
  | { type: 'not-kept'; inputKey: string; diskFull: boolean };
