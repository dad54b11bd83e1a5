import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { fixture, fixturePath, jobRow } from './helpers/popup';
import { makeStreams } from './helpers/streams';
import { expectStreamSound } from './helpers/stream-sound';
import { startTestSite, type TestSite } from './helpers/test-site';
import type { GoodExpectation } from '../../scripts/make-fixtures';

const NAME = 'Slow stream';
const MP3 = `${NAME}.mp3`;
/** The long fixture's sound in 4-second segments, each served 300 ms late: about 20 s of download. */
const SEGMENT = /^\/slow\/long\/index\d+\.ts$/;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a streamed video’s job mid-download', () => {
  let session: ExtensionSession | undefined;
  let site: TestSite;
  let page: Page | undefined;

  beforeAll(async () => {
    await makeStreams(join(inject('fixturesDir'), 'streams'), fixturePath('clip.mp4'), fixturePath('long.mp4'));
    site = await startTestSite(inject('fixturesDir'));
  });
  afterAll(async () => {
    await site?.close();
  });
  afterEach(async () => {
    await page?.close();
    await session?.close();
    page = undefined;
    session = undefined;
  });

  const segmentsFetched = () => site.extensionRequests.filter((path) => SEGMENT.test(path)).length;

  /** Clicks Extract MP3 on the slow stream's page; resolves once a few of its segments have arrived. */
  async function startSlowStream(current: ExtensionSession): Promise<void> {
    page = await current.context.newPage();
    await page.goto(`${site.url}/hls-slow.html`);
    const button = page.getByRole('button', { name: 'Extract MP3', exact: true });
    await expect.poll(() => button.count()).toBe(1);
    site.extensionRequests.length = 0;
    await button.click();
    await expect.poll(segmentsFetched, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(3);
  }

  async function mp3sSaved(current: ExtensionSession): Promise<string[]> {
    return (await readdir(current.downloadsDir)).filter((name) => name.startsWith(NAME));
  }

  it('cancels from the popup: shown Cancelled, no MP3, and no more segments fetched', async () => {
    session = await launchExtension();
    await startSlowStream(session);
    const popup = await session.openPopup();
    await jobRow(popup, NAME).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => jobRow(popup, NAME).innerText()).toContain('Cancelled');
    // A segment already on its way may still arrive; after that, nothing more is asked for.
    await wait(1000);
    const fetchedByThen = segmentsFetched();
    await wait(2000);
    expect(segmentsFetched()).toBe(fetchedByThen);
    expect(fetchedByThen).toBeLessThan(60);
    expect(await mp3sSaved(session)).toEqual([]);
    await popup.close();
  });

  it('finishes once, exactly, when Chrome stops the service worker mid-stream', async () => {
    session = await launchExtension();
    await startSlowStream(session);
    await session.stopServiceWorker();
    const mp3 = await session.waitForDownload(MP3, 180_000);
    await expectStreamSound(mp3, MP3, fixture('long.mp4').expect as GoodExpectation);
    // A second run would save "Slow stream (1).mp3" beside it.
    await wait(2000);
    expect(await mp3sSaved(session)).toEqual([MP3]);
    const { history } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('history'));
    expect((history as { fileName: string }[]).map((entry) => entry.fileName)).toEqual([MP3]);
  });
});
