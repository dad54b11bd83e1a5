import { z } from 'zod';
import { DEFAULT_FILE_NAME_PATTERN } from './file-names';
import { storage } from 'wxt/utils/storage';

export const ENGINES = ['auto', 'local', 'cloud'] as const;
export const BITRATES = [128, 192, 256, 320] as const;
export const DEFAULT_CLOUD_BASE_URL = 'https://mega-api-prod.nemovideo.ai';

export const engineLabels: Record<Engine, string> = {
  auto: 'Automatic',
  local: 'On this device',
  cloud: 'NemoVideo cloud',
};

export const cloudUrlSchema = z.url({ protocol: /^https?$/ });

const engineSchema = z.enum(ENGINES);
const bitrateSchema = z.union(BITRATES.map((rate) => z.literal(rate)));
export const fileNamePatternSchema = z.string().trim().min(1).max(200);

/** What is stored: anything unreadable falls back to its default. */
export const settingsSchema = z.object({
  engine: engineSchema.catch('auto'),
  bitrate: bitrateSchema.catch(192),
  cloudBaseUrl: cloudUrlSchema.catch(DEFAULT_CLOUD_BASE_URL),
  /** When the video's sound already is MP3, copy it as it is instead of encoding it again at `bitrate`. */
  keepMp3Audio: z.boolean().catch(false),
  /** How the MP3 is named: `{title}`, `{date}`, `{time}` and `{bitrate}` are filled in. */
  fileNamePattern: fileNamePatternSchema.catch(DEFAULT_FILE_NAME_PATTERN),
});

/** What a user may change: invalid values are rejected, not replaced. */
export const settingsChangeSchema = z
  .object({ engine: engineSchema, bitrate: bitrateSchema, cloudBaseUrl: cloudUrlSchema, keepMp3Audio: z.boolean(), fileNamePattern: fileNamePatternSchema })
  .partial()
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type Engine = (typeof ENGINES)[number];
export type Bitrate = (typeof BITRATES)[number];

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
export async function updateSettings(change: Partial<Settings>): Promise<Settings> {
  const valid = settingsChangeSchema.parse(change);
  const next = { ...(await getSettings()), ...valid };
  await settingsItem.setValue(next);
  return next;
}

/** The engine that actually runs a job: Automatic means this device. */
export function resolveEngine(engine: Engine): 'local' | 'cloud' {
  return engine === 'cloud' ? 'cloud' : 'local';
}
