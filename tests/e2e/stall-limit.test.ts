import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { jobRow } from './helpers/popup';
import { startTestSite } from './helpers/test-site';

describe('a job that stops making progress', () => {
  let session: ExtensionSession;
  let site: Awaited<ReturnType<typeof startTestSite>>;

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension();
    // The real limit is a minute; nothing else changes with a shorter one.
    await session.serviceWorker.evaluate(() => chrome.storage.local.set({ limits: { localStallMs: 3000 } }));
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  it('is stopped when its web video stops arriving, says so naming the file, and Retry converts it', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.url}/link.html`);
    await session.serviceWorker.evaluate(
      async ({ linkUrl, pageUrl }) => {
        const [tab] = await chrome.tabs.query({ url: pageUrl });
        const onClick = (
          globalThis as unknown as { onContextMenuClick: (info: unknown, tab: unknown) => Promise<void> }
        ).onContextMenuClick;
        await onClick({ menuItemId: 'extract-mp3-link', linkUrl, frameId: 0 }, tab);
      },
      { linkUrl: `${site.url}/stall-once/clip.mp4`, pageUrl: page.url() },
    );

    const popup = await session.openPopup();
    const alert = jobRow(popup, 'clip.mp4').getByRole('alert');
    await expect
      .poll(() => alert.innerText().catch(() => ''), { timeout: 60_000 })
      .toMatch(/download of “clip\.mp4” stopped/);
    const { jobs } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('jobs'));
    expect(Object.values(jobs as Record<string, { state: string }>).map((job) => job.state)).toEqual(['failed']);

    await jobRow(popup, 'clip.mp4').getByRole('button', { name: 'Retry' }).click();
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000));
    expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: 48_000 });
  });
});
