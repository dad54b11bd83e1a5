import { z } from 'zod';
import { i18n } from '#i18n';

/** Which of a video's sound tracks become MP3s: the default one, the one the user picks, or each. */
export const SOUND_TRACK_MODES = ['default', 'ask', 'all'] as const;
export const soundTrackModeSchema = z.enum(SOUND_TRACK_MODES);
export type SoundTrackMode = z.infer<typeof soundTrackModeSchema>;

/** One of the source's sound tracks, as the popup offers it and file names call it. */
export const soundTrackSchema = z.strictObject({
  /** Its place among the source's sound tracks, from 0: the same in mediabunny and ffmpeg. */
  index: z.number().int().min(0).max(255),
  /** ISO 639 code as the container has it (`eng`, `fr`); `und` when unknown. */
  languageCode: z.string().max(35),
  /** The track's own name (`Director's commentary`), when it has one. */
  name: z.string().max(200).optional(),
  codec: z.string().max(40).optional(),
  channels: z.number().int().min(0).max(64),
  /** The track the video plays by default, which the default setting converts and **Ask** preselects. */
  isDefault: z.boolean().optional(),
});
export type SoundTrack = z.infer<typeof soundTrackSchema>;

/** `eng` → `English` in the UI's language; undefined for `und` or a code no one knows. */
export function languageName(code: string, uiLanguage: string): string | undefined {
  if (!code || code === 'und' || code === 'mul' || code === 'zxx') return undefined;
  try {
    const name = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'none' }).of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

const CODEC_NAMES: Record<string, string> = {
  aac: 'AAC',
  opus: 'Opus',
  mp3: 'MP3',
  vorbis: 'Vorbis',
  flac: 'FLAC',
  ac3: 'AC-3',
  eac3: 'E-AC-3',
  dts: 'DTS',
  alac: 'ALAC',
};

function codecName(codec: string | undefined): string | undefined {
  if (!codec) return undefined;
  if (codec.startsWith('pcm')) return 'PCM';
  return CODEC_NAMES[codec] ?? codec.toUpperCase();
}

function channelsName(channels: number): string | undefined {
  if (channels === 1) return i18n.t('tracks.mono');
  if (channels === 2) return i18n.t('tracks.stereo');
  if (channels === 6) return '5.1';
  if (channels === 8) return '7.1';
  return channels > 0 ? i18n.t('tracks.channels', { count: channels }) : undefined;
}

function numbered(track: SoundTrack): string {
  return i18n.t('tracks.trackNumber', { number: track.index + 1 });
}

/** What the track is called in a file name: its language, else its own name, else its number. */
export function trackNameForFile(track: SoundTrack, uiLanguage: string): string {
  return languageName(track.languageCode, uiLanguage) ?? track.name ?? numbered(track);
}

/**
 * Each track's name in its file name, told apart when two would be the same (two English tracks):
 * `English, Commentary`, else `English, Track 3`.
 */
export function trackNamesForFiles(tracks: readonly SoundTrack[], uiLanguage: string): string[] {
  const repeated = (names: string[]) => (name: string) => names.filter((other) => other === name).length > 1;
  const plain = tracks.map((track) => trackNameForFile(track, uiLanguage));
  const isRepeated = repeated(plain);
  const withOwnName = tracks.map((track, index) => {
    const name = plain[index]!;
    if (!isRepeated(name)) return name;
    return track.name && track.name !== name ? `${name}, ${track.name}` : `${name}, ${numbered(track)}`;
  });
  const stillRepeated = repeated(withOwnName);
  return withOwnName.map((name, index) =>
    stillRepeated(name) ? `${plain[index]!}, ${numbered(tracks[index]!)}` : name,
  );
}

/**
 * The track as the popup's radio offers it: its own name where it has one, else its language (else its
 * number), then its codec and channels: `French (AAC, stereo)`.
 */
export function trackLabel(track: SoundTrack, uiLanguage: string): string {
  const called = track.name ?? languageName(track.languageCode, uiLanguage) ?? numbered(track);
  const details = [codecName(track.codec), channelsName(track.channels)].filter(Boolean).join(', ');
  return details ? `${called} (${details})` : called;
}
