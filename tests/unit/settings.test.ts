import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ALL_TAGS } from '@/utils/tag-choices';
import {
  DEFAULT_CLOUD_BASE_URL,
  defaultSettings,
  getSettings,
  resolveEngine,
  settingsChangeSchema,
  settingsSchema,
  updateSettings,
  type Engine,
  type Settings,
} from '@/utils/settings';

const defaults: Settings = {
  engine: 'auto',
  bitrate: 192,
  cloudBaseUrl: DEFAULT_CLOUD_BASE_URL,
  keepMp3Audio: false,
  normalizeLoudness: false,
  fileNamePattern: '{title}',
  tags: ALL_TAGS,
  format: 'mp3',
  soundTrack: 'default',
  splitChapters: false,
};

describe('settingsSchema', () => {
  it('defaults every field', () => {
    expect(settingsSchema.parse({})).toEqual(defaults);
    expect(defaultSettings).toEqual(defaults);
  });

  it.each<[string, unknown, Settings]>([
    [
      'all valid',
      {
        engine: 'cloud',
        bitrate: 320,
        cloudBaseUrl: 'https://api.example.com',
        keepMp3Audio: true,
        normalizeLoudness: true,
        fileNamePattern: '{date} {title}',
        tags: { title: true, artistAlbum: false, cover: false },
        format: 'original',
        soundTrack: 'all',
        splitChapters: true,
      },
      {
        engine: 'cloud',
        bitrate: 320,
        cloudBaseUrl: 'https://api.example.com',
        keepMp3Audio: true,
        normalizeLoudness: true,
        fileNamePattern: '{date} {title}',
        tags: { title: true, artistAlbum: false, cover: false },
        format: 'original',
        soundTrack: 'all',
        splitChapters: true,
      },
    ],
    ['unknown sound track mode', { soundTrack: 'first' }, defaults],
    [
      'one tag switch unreadable',
      { tags: { title: false, artistAlbum: 'no', cover: false } },
      { ...defaults, tags: { title: false, artistAlbum: true, cover: false } },
    ],
    ['tags not an object', { tags: true }, defaults],
    ['empty file name pattern', { fileNamePattern: '  ' }, defaults],
    ['keep MP3 of the wrong type', { keepMp3Audio: 'yes' }, defaults],
    ['unknown engine', { engine: 'turbo', bitrate: 320 }, { ...defaults, bitrate: 320 }],
    ['engine of the wrong type', { engine: 1, bitrate: 128 }, { ...defaults, bitrate: 128 }],
    ['unsupported bitrate', { engine: 'local', bitrate: 999 }, { ...defaults, engine: 'local' }],
    ['bitrate as a string', { engine: 'local', bitrate: '320' }, { ...defaults, engine: 'local' }],
    ['VBR V2', { bitrate: 'v2' }, { ...defaults, bitrate: 'v2' }],
    ['VBR level not offered', { bitrate: 'v9' }, defaults],
    ['URL that is not a URL', { bitrate: 256, cloudBaseUrl: 'not a url' }, { ...defaults, bitrate: 256 }],
    ['ftp URL', { engine: 'cloud', cloudBaseUrl: 'ftp://files.example.com' }, { ...defaults, engine: 'cloud' }],
    ['null fields', { engine: null, bitrate: null, cloudBaseUrl: null }, defaults],
    ['format not offered', { format: 'wav' }, defaults],
    ['format in capitals', { format: 'ORIGINAL' }, defaults],
    ['extra stored keys', { engine: 'local', theme: 'dark' }, { ...defaults, engine: 'local' }],
  ])('falls back per field: %s', (_label, stored, expected) => {
    expect(settingsSchema.parse(stored)).toEqual(expected);
  });
});

describe('settingsChangeSchema', () => {
  it.each<[string, unknown]>([
    ['nothing', {}],
    ['engine', { engine: 'cloud' }],
    ['bitrate', { bitrate: 128 }],
    ['VBR V0', { bitrate: 'v0' }],
    ['VBR V2', { bitrate: 'v2' }],
    ['http URL', { cloudBaseUrl: 'http://localhost:8080' }],
    ['https URL with a path', { cloudBaseUrl: 'https://api.example.com/v1' }],
    ['original format', { format: 'original' }],
    ['MP3 format', { format: 'mp3' }],
    ['everything', { engine: 'local', bitrate: 320, cloudBaseUrl: 'https://api.example.com' }],
  ])('accepts %s', (_label, change) => {
    expect(settingsChangeSchema.safeParse(change)).toMatchObject({ success: true, data: change });
  });

  it.each<[string, unknown]>([
    ['unknown engine', { engine: 'turbo' }],
    ['engine in capitals', { engine: 'LOCAL' }],
    ['unsupported bitrate', { bitrate: 160 }],
    ['bitrate as a string', { bitrate: '192' }],
    ['VBR level in capitals', { bitrate: 'V0' }],
    ['VBR level not offered', { bitrate: 'v5' }],
    ['not a URL', { cloudBaseUrl: 'not a url' }],
    ['ftp URL', { cloudBaseUrl: 'ftp://files.example.com' }],
    ['javascript URL', { cloudBaseUrl: 'javascript:alert(1)' }],
    ['file URL', { cloudBaseUrl: 'file:///etc/passwd' }],
    ['empty URL', { cloudBaseUrl: '' }],
    ['format not offered', { format: 'm4a' }],
    ['format of the wrong type', { format: true }],
    ['unknown key', { theme: 'dark' }],
    ['unknown key next to a valid one', { engine: 'local', extra: true }],
  ])('rejects %s', (_label, change) => {
    expect(settingsChangeSchema.safeParse(change).success).toBe(false);
  });
});

describe('resolveEngine', () => {
  it.each<[Engine, 'local' | 'cloud']>([
    ['auto', 'local'],
    ['local', 'local'],
    ['cloud', 'cloud'],
  ])('%s runs on %s', (engine, expected) => {
    expect(resolveEngine(engine)).toBe(expected);
  });
});

describe('getSettings / updateSettings', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  const storeRaw = (value: unknown) => fakeBrowser.storage.sync.set({ settings: value });
  const readRaw = async () => (await fakeBrowser.storage.sync.get('settings')).settings;

  it('returns the defaults when nothing is stored', async () => {
    expect(await getSettings()).toEqual(defaults);
  });

  it.each<[string, Partial<Settings>[], Settings]>([
    ['one field', [{ bitrate: 320 }], { ...defaults, bitrate: 320 }],
    [
      'two changes keep each other',
      [{ bitrate: 320 }, { engine: 'cloud' }],
      { ...defaults, bitrate: 320, engine: 'cloud' },
    ],
    ['a later change wins', [{ bitrate: 320 }, { bitrate: 128 }], { ...defaults, bitrate: 128 }],
    [
      'URL',
      [{ cloudBaseUrl: 'https://staging.example.com' }],
      { ...defaults, cloudBaseUrl: 'https://staging.example.com' },
    ],
    ['empty change', [{}], defaults],
  ])('round trips through sync storage: %s', async (_label, changes, expected) => {
    let returned: Settings | undefined;
    for (const change of changes) returned = await updateSettings(change);
    expect(returned).toEqual(expected);
    expect(await getSettings()).toEqual(expected);
    expect(await readRaw()).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['engine', { engine: 'turbo' }],
    ['bitrate', { bitrate: 100 }],
    ['URL', { cloudBaseUrl: 'ftp://files.example.com' }],
    ['unknown key', { theme: 'dark' }],
  ])('rejects an invalid %s and leaves storage as it was', async (_label, change) => {
    await updateSettings({ bitrate: 256 });
    await expect(updateSettings(change as Partial<Settings>)).rejects.toThrow();
    expect(await readRaw()).toEqual({ ...defaults, bitrate: 256 });
  });

  it.each<[string, unknown, Settings]>([
    [
      'unknown engine',
      { engine: 'turbo', bitrate: 320, cloudBaseUrl: 'https://a.example.com' },
      { ...defaults, bitrate: 320, cloudBaseUrl: 'https://a.example.com' },
    ],
    [
      'bad bitrate and URL',
      { engine: 'local', bitrate: 7, cloudBaseUrl: 'ftp://a.example.com' },
      { ...defaults, engine: 'local' },
    ],
    ['missing fields', { engine: 'cloud' }, { ...defaults, engine: 'cloud' }],
  ])('reads a stored value with %s field by field', async (_label, stored, expected) => {
    await storeRaw(stored);
    expect(await getSettings()).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['a string', 'garbage'],
    ['a number', 42],
    ['an array', ['local', 320]],
  ])('falls back to the defaults when the stored value is %s', async (_label, stored) => {
    await storeRaw(stored);
    await expect(getSettings()).resolves.toEqual(defaults);
  });

  it('repairs bad stored fields when a change is saved', async () => {
    await storeRaw({ engine: 'turbo', bitrate: 7, cloudBaseUrl: 'ftp://a.example.com' });
    await updateSettings({ engine: 'cloud' });
    expect(await readRaw()).toEqual({ ...defaults, engine: 'cloud' });
  });
});
