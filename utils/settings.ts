import { z } from 'zod';
import { bitrateSchema } from './bitrate';
import { DEFAULT_FILE_NAME_PATTERN } from './file-names';
import { oneAtATime } from './one-at-a-time';
import { outputFormatSchema } from './output-format';
import { ALL_TAGS, tagChoicesSchema } from './tag-choices';
import { storage } from 'wxt/utils/storage';
import { i18n } from '#i18n';
import { soundTrackModeSchema } from './outputs/sound-tracks';

export const ENGINES = ['auto', 'local', 'cloud'] as const;
export const DEFAULT_CLOUD_BASE_URL = 'https://mega-api-prod.nemovideo.ai';

export function engineLabel(engine: Engine): string {
  return i18n.t(`engine.${engine}`);
}

export const cloudUrlSchema = z.url({ protocol: /^https?$/ });

const engineSchema = z.enum(ENGINES);
export const fileNamePatternSchema = z.string().trim().min(1).max(200);

/** What is stored: anything unreadable falls back to its default. */
export const settingsSchema = z.object({
  engine: engineSchema.catch('auto'),
  bitrate: bitrateSchema.catch(192),
  cloudBaseUrl: cloudUrlSchema.catch(DEFAULT_CLOUD_BASE_URL),
  /** When the video's sound already is MP3, copy it as it is instead of encoding it again at `bitrate`. */
  keepMp3Audio: z.boolean().catch(false),
  /** Bring every MP3 to −14 LUFS integrated loudness. */
  normalizeLoudness: z.boolean().catch(false),
  /** How the MP3 is named: `{title}`, `{date}`, `{time}` and `{bitrate}` are filled in. */
  fileNamePattern: fileNamePatternSchema.catch(DEFAULT_FILE_NAME_PATTERN),
  /** Which ID3 tags the MP3 gets; each on unless turned off. */
  tags: z
    .object({ title: z.boolean().catch(true), artistAlbum: z.boolean().catch(true), cover: z.boolean().catch(true) })
    .catch(ALL_TAGS),
  /** An MP3, or the video's own sound copied as it is into its own container. */
  format: outputFormatSchema.catch('mp3'),
  /** Which sound tracks of a video with several become MP3s. */
  soundTrack: soundTrackModeSchema.catch('default'),
  /** One MP3 per chapter instead of one with the chapters in its tag. */
  splitChapters: z.boolean().catch(false),
});

/** What a user may change: invalid values are rejected, not replaced. */
export const settingsChangeSchema = z
  .object({
    engine: engineSchema,
    bitrate: bitrateSchema,
    cloudBaseUrl: cloudUrlSchema,
    keepMp3Audio: z.boolean(),
    normalizeLoudness: z.boolean(),
    fileNamePattern: fileNamePatternSchema,
    tags: tagChoicesSchema.partial().strict(),
    format: outputFormatSchema,
    soundTrack: soundTrackModeSchema,
    splitChapters: z.boolean(),
  })
  .partial()
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsChange = z.input<typeof settingsChangeSchema>;
export type Engine = (typeof ENGINES)[number];

export const defaultSettings: Settings = settingsSchema.parse({});

export const settingsItem = storage.defineItem<Settings>('sync:settings', { fallback: defaultSettings });

/** The stored settings; a field that can't be read takes its default, and so does an unreadable whole. */
export function readSettings(raw: unknown): Settings {
  return settingsSchema.catch(defaultSettings).parse(raw);
}

export async function getSettings(): Promise<Settings> {
  return readSettings(await settingsItem.getValue());
}

/** Validates a partial change (throws a ZodError with a readable message) and saves it. */
const settingsWrites = oneAtATime();

/** Applies a change (tags one switch at a time, if need be); two changes made at once both count. */
export async function updateSettings(change: SettingsChange): Promise<Settings> {
  const valid = settingsChangeSchema.parse(change);
  return settingsWrites(async () => {
    const current = await getSettings();
    const next = { ...current, ...valid, tags: { ...current.tags, ...valid.tags } };
    await settingsItem.setValue(next);
    return next;
  });
}

/** The engine that actually runs a job: Automatic means this device. */
export function resolveEngine(engine: Engine): 'local' | 'cloud' {
  return engine === 'cloud' ? 'cloud' : 'local';
}
