import { z } from 'zod';

/** The **Format** setting: an MP3, or the video's own sound, not re-encoded. */
export const OUTPUT_FORMATS = ['mp3', 'original'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const outputFormatSchema = z.enum(OUTPUT_FORMATS);

/** The files a job can make: an MP3, or a sound kept as it is in its own container. */
export const FILE_EXTENSIONS = ['mp3', 'm4a', 'opus', 'ogg', 'flac'] as const;
export type FileExtension = (typeof FILE_EXTENSIONS)[number];
export const fileExtensionSchema = z.enum(FILE_EXTENSIONS);

export const MIME_TYPES: Record<FileExtension, string> = {
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  opus: 'audio/ogg',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
};

/** The container each kept codec goes into (mediabunny's codec names); the others become MP3s. */
const CONTAINER_OF_CODEC: Partial<Record<string, FileExtension>> = {
  aac: 'm4a',
  opus: 'opus',
  vorbis: 'ogg',
  mp3: 'mp3',
  flac: 'flac',
};

/** Where the original sound of this codec is kept as it is, or undefined when it has no such container here. */
export function containerForCodec(codec: string | null | undefined): FileExtension | undefined {
  return codec ? CONTAINER_OF_CODEC[codec] : undefined;
}

/** A codec's name as people know it, for messages: `ac3` → `AC-3`, `pcm-s16` → `PCM` (mediabunny's or ffmpeg's names). */
export function codecLabel(codec: string | null | undefined): string {
  if (!codec) return '?';
  if (/^pcm/i.test(codec)) return 'PCM';
  const known: Record<string, string> = { ac3: 'AC-3', eac3: 'E-AC-3', dts: 'DTS', dca: 'DTS', alac: 'ALAC' };
  return known[codec.toLowerCase()] ?? codec.toUpperCase();
}

/** `clip.mp3` → `clip.m4a`: the name the pattern gave, with the extension of the file that was made. */
export function withExtension(fileName: string, extension: FileExtension): string {
  const dot = fileName.lastIndexOf('.');
  return `${dot > 0 ? fileName.slice(0, dot) : fileName}.${extension}`;
}
