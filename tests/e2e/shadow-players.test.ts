import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3, sourceAudioSeconds } from './helpers/mp3';
import { fixturePath } from './helpers/popup';
import { startTestSite } from './helpers/test-site';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each player's video is, found the way the page itself reaches into its shadow roots. */
function videoBoxes(page: Page): Promise<{ open: Box; nested: Box; closed: Box }> {
  return page.evaluate(() => {
    const box = (video: HTMLVideoElement | null | undefined) => {
      const { x, y, width, height } = video!.getBoundingClientRect();
      return { x, y, width, height };
    };
    const open = document.querySelector('open-player')!.shadowRoot!;
    const inner = document.querySelector('outer-player')!.shadowRoot!.querySelector('inner-player')!.shadowRoot!;
    const closed = (window as unknown as { closedRoot: ShadowRoot }).closedRoot;
    return {
      open: box(open.querySelector('video')),
      nested: box(inner.querySelector('video')),
      closed: box(closed.querySelector('video')),
    };
  });
}

describe('the Extract MP3 button on videos in shadow roots', () => {
  let session: ExtensionSession;
  let site: Awaited<ReturnType<typeof startTestSite>>;

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  it('sits on videos in open, nested and closed shadow roots and converts each', async () => {
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 900, height: 900 });
    await page.goto(`${site.url}/shadow-players.html`);
    const buttons = page.getByRole('button', { name: 'Extract MP3', exact: true });
    await expect.poll(() => buttons.count(), { timeout: 10_000 }).toBe(3);

    const videos = await videoBoxes(page);
    const buttonFor = async (video: Box) => {
      for (const button of await buttons.all()) {
        const at = (await button.boundingBox())!;
        const inside =
          at.x >= video.x && at.x + at.width <= video.x + video.width && at.y >= video.y && at.y < video.y + 40;
        if (inside) return button;
      }
      throw new Error(`no button over the video at ${JSON.stringify(video)}`);
    };
    const expected = [
      { video: videos.open, fixture: 'clip.mp4', mp3: 'clip.mp3', sampleRate: 48_000 },
      { video: videos.nested, fixture: 'opus-48k.webm', mp3: 'opus-48k.mp3', sampleRate: 48_000 },
      { video: videos.closed, fixture: 'vorbis-44k.webm', mp3: 'vorbis-44k.mp3', sampleRate: 44_100 },
    ];
    for (const { video } of expected) await (await buttonFor(video)).click();

    for (const { fixture, mp3, sampleRate } of expected) {
      const analysis = await analyzeMp3(await session.waitForDownload(mp3, 60_000));
      expect(analysis, mp3).toMatchObject({ sampleRate, bitrateKbps: 192 });
      expect(Math.abs(analysis.durationSeconds - (await sourceAudioSeconds(fixturePath(fixture)))), mp3).toBeLessThan(
        0.05,
      );
    }
    // The page sees nothing of it: no attribute, no element of ours inside its players.
    expect(
      await page.evaluate(() => document.querySelector('open-player')!.shadowRoot!.querySelectorAll('*').length),
    ).toBe(1);
    await page.close();
  });
});
