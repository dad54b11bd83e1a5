import type { ExtensionSession } from './browser';
import type { Bitrate } from '../../../utils/bitrate';

/**
 * Changes settings on the options page as a person would, and waits until they are saved before
 * closing it (closing a page at once can cut off its last write).
 */
export async function changeSettings(
  session: ExtensionSession,
  change: {
    engine?: string;
    bitrate?: Bitrate;
    fileNamePattern?: string;
    cloudBaseUrl?: string;
    keepMp3Audio?: boolean;
    normalizeLoudness?: boolean;
    tags?: Partial<Record<'title' | 'artistAlbum' | 'cover', boolean>>;
    format?: 'mp3' | 'original';
    soundTrack?: 'default' | 'ask' | 'all';
    splitChapters?: boolean;
  },
): Promise<void> {
  const options = await session.context.newPage();
  await options.goto(`chrome-extension://${session.extensionId}/options.html`);
  if (change.cloudBaseUrl !== undefined) await options.getByLabel('Cloud API base URL').fill(change.cloudBaseUrl);
  if (change.engine !== undefined) await options.getByLabel('Engine').selectOption(change.engine);
  if (change.bitrate !== undefined) await options.getByLabel('Bitrate').selectOption(String(change.bitrate));
  if (change.fileNamePattern !== undefined) await options.getByLabel('File name').fill(change.fileNamePattern);
  if (change.keepMp3Audio !== undefined)
    await options.getByLabel('Keep MP3 sound as it is').setChecked(change.keepMp3Audio);
  if (change.normalizeLoudness !== undefined)
    await options.getByLabel('Even out loudness').setChecked(change.normalizeLoudness);
  if (change.format !== undefined) await options.getByLabel('Format', { exact: true }).selectOption(change.format);
  if (change.soundTrack !== undefined) await options.getByLabel('Sound track').selectOption(change.soundTrack);
  if (change.splitChapters !== undefined)
    await options.getByLabel('One MP3 per chapter').setChecked(change.splitChapters);
  const tagLabels = { title: /^Title/, artistAlbum: /^Artist and album/, cover: /^Cover art/ } as const;
  for (const [key, on] of Object.entries(change.tags ?? {})) {
    await options
      .getByRole('group', { name: 'Tags' })
      .getByLabel(tagLabels[key as keyof typeof tagLabels])
      .setChecked(on);
  }
  const saved = async () => {
    const { settings } = await session.serviceWorker.evaluate(() => chrome.storage.sync.get('settings'));
    const stored = (settings ?? {}) as Record<string, unknown>;
    const matches = (value: unknown, want: unknown): boolean =>
      typeof want === 'object' && want !== null
        ? Object.entries(want).every(([key, part]) =>
            matches((value as Record<string, unknown> | undefined)?.[key], part),
          )
        : value === want;
    return matches(stored, change);
  };
  for (const deadline = Date.now() + 10_000; !(await saved());) {
    if (Date.now() > deadline) throw new Error(`settings ${JSON.stringify(change)} were not saved`);
    await options.waitForTimeout(50);
  }
  await options.close();
}
