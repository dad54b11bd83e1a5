import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, jobRow } from './helpers/popup';

const badInputs = [
  { name: 'empty.mp4', says: /empty \(0 bytes\).*Choose the complete video/ },
  { name: 'garbage.mp4', says: /isn't a video file.*Choose a video such as MP4/ },
  { name: 'notes.mp4', says: /isn't a video file.*Choose a video such as MP4/ },
  { name: 'no-audio.mp4', says: /has no audio track.*Choose a video with sound/ },
  { name: 'truncated.mp4', says: /damaged or incomplete.*Download or copy the video again/ },
];

describe('bad input in a batch', () => {
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
    await chooseVideos(popup, ['empty.mp4', 'garbage.mp4', 'clip.mp4', 'notes.mp4', 'no-audio.mp4', 'truncated.mp4']);
  });
  afterAll(() => session?.close());

  it.each(badInputs)('$name gets an alert that names it and says what to do', async ({ name, says }) => {
    const alert = jobRow(popup, name).getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 60_000 }).toContain(`“${name}”`);
    expect(await alert.innerText()).toMatch(says);
    expect(await alert.innerText()).not.toMatch(/Error|at \w+ \(|chrome-extension:/);
    await expect.poll(() => jobRow(popup, name).getByRole('button', { name: 'Retry' }).count()).toBe(1);
  });

  it('converts the good file in the same batch', async () => {
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000));
    expect(mp3.sampleRate).toBe(48_000);
  });

  it('keeps working after failures, and Remove clears a failed job', async () => {
    await jobRow(popup, 'garbage.mp4').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => jobRow(popup, 'garbage.mp4').count()).toBe(0);
    await chooseVideos(popup, ['opus-48k.webm']);
    const mp3 = await analyzeMp3(await session.waitForDownload('opus-48k.mp3', 60_000));
    expect(mp3.channels).toBe(2);
  });
});
