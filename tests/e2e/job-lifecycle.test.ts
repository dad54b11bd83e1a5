import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, completedRow, fixture, jobRow, waitUntilConverting } from './helpers/popup';

const LONG = 'long.mp4';

async function expectOneLongMp3(session: ExtensionSession) {
  const mp3 = await analyzeMp3(await session.waitForDownload('long.mp3', 120_000));
  const expected = fixture(LONG).expect;
  if (!expected.ok) throw new Error('long.mp4 should be a good clip');
  expect(Math.abs(mp3.durationSeconds - expected.sourceAudioSeconds)).toBeLessThanOrEqual(0.05);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect((await readdir(session.downloadsDir)).filter((name) => name.startsWith('long'))).toEqual(['long.mp3']);
  const { history } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('history'));
  expect(
    (history as { fileName: string }[]).map((entry) => entry.fileName).filter((name) => name.startsWith('long')),
  ).toEqual(['long.mp3']);
}

describe('a job belongs to the background, not the popup', () => {
  let session: ExtensionSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('finishes after the popup is closed, and shows in Completed downloads when it is opened again', async () => {
    session = await launchExtension();
    const popup = await session.openPopup();
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    await popup.close();
    await expectOneLongMp3(session);
    const reopened = await session.openPopup();
    await expect.poll(() => completedRow(reopened, 'long.mp3').count()).toBe(1);
  });

  it('finishes once, exactly, when Chrome stops the service worker mid-job', async () => {
    session = await launchExtension();
    const popup = await session.openPopup();
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    await session.stopServiceWorker();
    await expectOneLongMp3(session);
    await expect.poll(() => completedRow(popup, 'long.mp3').count()).toBe(1);
  });

  it('starts a job again, once, when the offscreen document is closed under it', async () => {
    session = await launchExtension();
    const popup = await session.openPopup();
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    const attempts = () =>
      session!.serviceWorker.evaluate(async () => {
        const { jobs } = await chrome.storage.local.get('jobs');
        return Object.values(jobs as Record<string, { sourceName: string; attempts: number }>).find(
          (job) => job.sourceName === 'long.mp4',
        )?.attempts;
      });
    expect(await attempts()).toBe(1);
    await session.serviceWorker.evaluate(() => chrome.offscreen.closeDocument());
    await expect.poll(attempts, { timeout: 15_000 }).toBe(2);
    await expectOneLongMp3(session);
  });

  it('resumes a job cut off by quitting the browser, and keeps Completed downloads across the restart', async () => {
    session = await launchExtension();
    let popup = await session.openPopup();
    await chooseVideos(popup, ['clip.mp4']);
    await session.waitForDownload('clip.mp3');
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    session = await session.restart();
    await expectOneLongMp3(session);
    popup = await session.openPopup();
    await expect.poll(() => completedRow(popup, 'clip.mp3').count()).toBe(1);
    await expect.poll(() => completedRow(popup, 'long.mp3').count()).toBe(1);
  });

  it('shows a job that cannot resume as interrupted, with Retry that converts it', async () => {
    session = await launchExtension();
    let popup = await session.openPopup();
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    // As if this job had already been cut off twice before.
    await session.serviceWorker.evaluate(async () => {
      const { jobs } = await chrome.storage.local.get('jobs');
      for (const job of Object.values(jobs as Record<string, { attempts: number }>)) job.attempts = 3;
      await chrome.storage.local.set({ jobs });
    });
    session = await session.restart();
    popup = await session.openPopup();
    const alert = jobRow(popup, LONG).getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 30_000 }).toMatch(/“long\.mp4”.*interrupted.*Retry/);
    await jobRow(popup, LONG).getByRole('button', { name: 'Retry' }).click();
    await expectOneLongMp3(session);
  });

  it('cancels a running job without saving anything, and Retry starts it again', async () => {
    session = await launchExtension();
    const popup = await session.openPopup();
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    await jobRow(popup, LONG).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => jobRow(popup, LONG).innerText()).toContain('Cancelled');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await readdir(session.downloadsDir)).toEqual([]);
    await jobRow(popup, LONG).getByRole('button', { name: 'Retry' }).click();
    await expectOneLongMp3(session);
  });

  it('converts one video at a time: the next waits, shown as Waiting…, and starts when the first is done', async () => {
    session = await launchExtension();
    const popup = await session.openPopup();
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    await chooseVideos(popup, ['clip.mp4']);
    await expect
      .poll(() => jobRow(popup, 'clip.mp4').innerText(), { timeout: 10_000, interval: 50 })
      .toContain('Waiting…');

    // Every 50 ms until both are done: how many jobs were converting at once.
    const mostConvertingAtOnce = await session.serviceWorker.evaluate(async () => {
      let most = 0;
      for (;;) {
        const { jobs = {} } = await chrome.storage.local.get('jobs');
        const states = Object.values(jobs as Record<string, { state: string }>).map((job) => job.state);
        most = Math.max(most, states.filter((state) => state === 'converting').length);
        if (states.length === 0) return most;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    expect(mostConvertingAtOnce).toBe(1);

    await expectOneLongMp3(session);
    const clip = fixture('clip.mp4').expect;
    if (!clip.ok) throw new Error('clip.mp4 should be a good clip');
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000));
    expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: clip.sampleRate, channels: clip.channels });
    expect(Math.abs(mp3.onsetSeconds - clip.onsetSeconds)).toBeLessThanOrEqual(0.001);
    const { history } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('history'));
    const finished = (history as { fileName: string; completedAt: number }[]).sort(
      (a, b) => a.completedAt - b.completedAt,
    );
    expect(finished.map((entry) => entry.fileName)).toEqual(['long.mp3', 'clip.mp3']);
  });
});
