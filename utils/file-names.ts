const ILLEGAL_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;
const RESERVED_WINDOWS_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_BASE_LENGTH = 180;

/** A file name that is legal on every desktop OS; `fallback` when nothing usable is left. */
export function sanitizeFileName(name: string, fallback = 'audio'): string {
  let clean = name.replace(ILLEGAL_CHARACTERS, '_').replace(/\s+/g, ' ').trim();
  clean = clean.replace(/^[.\s]+|[.\s]+$/g, '');
  if (RESERVED_WINDOWS_NAMES.test(clean)) clean = `_${clean}`;
  return clean.slice(0, MAX_BASE_LENGTH) || fallback;
}

/** The name without its extension: `holiday.final.mp4` → `holiday.final`. */
export function baseName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/** `clip.mp4` → `clip.mp3`, with illegal characters replaced. */
export function mp3NameFor(sourceName: string): string {
  return `${sanitizeFileName(baseName(sourceName))}.mp3`;
}
