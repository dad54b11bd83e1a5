import { bitrateInName, type Bitrate } from './bitrate';

// eslint-disable-next-line no-control-regex -- control characters are what this leaves out of a file name
const ILLEGAL_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;
const RESERVED_WINDOWS_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
const EDGE_DOTS_AND_SPACES = /^[.\s]+|[.\s]+$/g;
const MAX_BASE_LENGTH = 180;

/** At most `max` UTF-16 units, never splitting a character such as an emoji in half. */
function truncate(text: string, max: number): string {
  let result = '';
  for (const character of text) {
    if (result.length + character.length > max) break;
    result += character;
  }
  return result;
}

/** A file name that is legal on every desktop OS; `fallback` when nothing usable is left. */
export function sanitizeFileName(name: string, fallback = 'audio'): string {
  const clean = name.replace(ILLEGAL_CHARACTERS, '_').replace(/\s+/g, ' ').replace(EDGE_DOTS_AND_SPACES, '');
  const cut = truncate(clean, MAX_BASE_LENGTH).replace(EDGE_DOTS_AND_SPACES, '');
  if (!cut) return fallback;
  return RESERVED_WINDOWS_NAMES.test(cut) ? `_${cut}` : cut;
}

/** The name without its extension: `holiday.final.mp4` → `holiday.final`. */
export function baseName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  // Only an extension is cut (`mp4`, `MOV`, `ts`): a page title such as "v1.2 talk" is kept whole.
  const extension = fileName.slice(dot + 1);
  return dot > 0 && /^((?=.*[a-z])[a-z0-9]{2,5})?$/i.test(extension) ? fileName.slice(0, dot) : fileName;
}

/** `clip.mp4` → `clip.mp3`, with illegal characters replaced. */
export function mp3NameFor(sourceName: string): string {
  return `${sanitizeFileName(baseName(sourceName))}.mp3`;
}

export const DEFAULT_FILE_NAME_PATTERN = '{title}';
export const FILE_NAME_FIELDS = ['title', 'date', 'time', 'bitrate'] as const;

export interface FileNameFields {
  /** The source's name without extension, or the page title. */
  title: string;
  bitrate: Bitrate;
  at: Date;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * The MP3's name from the user's pattern: `{title} - {date}` → `clip - 2026-11-25.mp3`. Unknown fields stay
 * as typed; illegal characters are replaced; a pattern that leaves nothing gives the title.
 */
export function mp3NameFromPattern(pattern: string, { title, bitrate, at }: FileNameFields): string {
  const values: Record<(typeof FILE_NAME_FIELDS)[number], string> = {
    title,
    date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}-${pad(at.getMinutes())}`,
    bitrate: bitrateInName(bitrate),
  };
  const name = pattern.replace(/\{(\w+)\}/g, (field, key: string) =>
    key in values ? values[key as keyof typeof values] : field,
  );
  return `${sanitizeFileName(name, sanitizeFileName(title))}.mp3`;
}
