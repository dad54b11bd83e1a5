import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { chooseVideos, completedRow } from './helpers/popup';
import { mp3NameFor } from '../../utils/file-names';

const clips = ['clip.mp4', 'aac-mono-44k.mov', 'aac-32k.m4v'];

describe('Download all as ZIP', () => {
  let session: ExtensionSession;
  let popup: Page;
  const zipButton = () =>
    popup.getByRole('region', { name: 'Completed downloads' }).getByRole('button', { name: 'Download all as ZIP' });

  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(() => session?.close());

  it('is not offered while fewer than two MP3s are stored', async () => {
    expect(await zipButton().count()).toBe(0);
    await chooseVideos(popup, clips.slice(0, 1));
    await session.waitForDownload(mp3NameFor(clips[0]!), 60_000);
    await expect.poll(() => completedRow(popup, mp3NameFor(clips[0]!)).count(), { timeout: 30_000 }).toBe(1);
    expect(await zipButton().count()).toBe(0);
  });

  it('downloads one ZIP whose entries are the stored MP3s, named as they are, byte for byte', async () => {
    await chooseVideos(popup, clips.slice(1));
    const mp3s = await Promise.all(clips.map((clip) => session.waitForDownload(mp3NameFor(clip), 60_000)));
    await expect.poll(() => zipButton().count(), { timeout: 30_000 }).toBe(1);
    await zipButton().focus();
    await popup.keyboard.press('Enter');
    const today = new Date();
    const day = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
      .map((part) => String(part).padStart(2, '0'))
      .join('-');
    const zip = await JSZip.loadAsync(await readFile(await session.waitForDownload(`MP3s ${day}.zip`, 60_000)));
    expect(Object.keys(zip.files).sort()).toEqual(clips.map(mp3NameFor).sort());
    for (const [index, clip] of clips.entries()) {
      const entry = await zip.file(mp3NameFor(clip))!.async('uint8array');
      expect(Buffer.compare(Buffer.from(entry), await readFile(mp3s[index]!)), mp3NameFor(clip)).toBe(0);
    }
  });
});
