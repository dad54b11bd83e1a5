import { mkdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, jobRow } from './helpers/popup';

describe('when the downloads folder refuses the MP3', () => {
  let session: ExtensionSession;
  let popup: Page;
  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(() => session?.close());

  it('says so on the job, keeps the video, and Retry saves the MP3 once the folder is back', async () => {
    // A file where the folder should be: nothing can be written into it.
    await rm(session.downloadsDir, { recursive: true, force: true });
    await writeFile(session.downloadsDir, 'not a folder');
    await chooseVideos(popup, ['clip.mp4']);
    const alert = jobRow(popup, 'clip.mp4').getByRole('alert');
    await expect
      .poll(() => alert.innerText(), { timeout: 60_000 })
      .toMatch(/could not be saved to your downloads folder/);
    expect(await alert.innerText()).toContain('“clip.mp4”');

    await rm(session.downloadsDir, { force: true });
    await mkdir(session.downloadsDir);
    await jobRow(popup, 'clip.mp4').getByRole('button', { name: 'Retry' }).click();
    expect((await analyzeMp3(await session.waitForDownload('clip.mp3'))).codec).toBe('mp3');
    const { history } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('history'));
    expect((history as { fileName: string }[]).map((entry) => entry.fileName)).toEqual(['clip.mp3']);
  });
});
