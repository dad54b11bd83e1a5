import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GoodExpectation } from '../../scripts/make-fixtures';
import { expectStreamSound } from '../e2e/helpers/stream-sound';
import { makeStreams } from '../e2e/helpers/streams';
import { startTestSite, type TestSite } from '../e2e/helpers/test-site';
import { Firefox } from './helpers/firefox';
import { fixture, fixturePath } from './helpers/popup';

/** Both players have buffered their whole (short) streams: what is fetched after that is the add-on's. */
function bothBuffered(): boolean {
  return [...document.querySelectorAll('video')].every(
    (video) =>
      video.duration > 0 &&
      video.buffered.length > 0 &&
      video.buffered.end(video.buffered.length - 1) >= video.duration - 0.05,
  );
}

/** Marks the Extract MP3 button that sits over the video `#id`, for the click; false while there is none. */
function markButtonOver(id: string): boolean {
  const video = document.getElementById(id)!.getBoundingClientRect();
  for (const host of document.querySelectorAll('video-to-mp3-extract')) {
    const button = host.shadowRoot?.querySelector('button')?.getBoundingClientRect();
    if (!button || button.width === 0) continue;
    const x = button.left + button.width / 2;
    const y = button.top + button.height / 2;
    if (x >= video.left && x <= video.right && y >= video.top && y <= video.bottom) {
      host.setAttribute('data-over', id);
      return true;
    }
  }
  return false;
}

describe('streamed videos in Firefox', () => {
  let firefox: Firefox;
  let site: TestSite;
  let source: GoodExpectation;

  beforeAll(async () => {
    await makeStreams(join(inject('fixturesDir'), 'streams'), fixturePath('clip.mp4'));
    source = fixture('clip.mp4').expect as GoodExpectation;
    site = await startTestSite(inject('fixturesDir'));
    firefox = await Firefox.launch();
  });
  afterAll(async () => {
    await firefox?.close();
    await site?.close();
  });

  it('follows an hls.js player (MediaSource) to the manifest of the video clicked, fetching only its audio', async () => {
    const page = await firefox.openPage(`${site.url}/hlsjs.html`);
    await page.waitFor('both players to buffer their streams', bothBuffered, []);
    await page.waitFor('the button over the second video', markButtonOver, ['second']);
    site.requests.length = 0;
    await page.click('video-to-mp3-extract[data-over=second] >>> button');
    await expectStreamSound(await firefox.waitForDownload('Two players.mp3', 60_000), 'Two players.mp3', source);
    expect(site.requests).toContain('/streams/fmp4/master.m3u8');
    expect(site.requests).toContain('/streams/fmp4/1/init_1.mp4');
    expect(
      site.requests.filter((path) => path.startsWith('/streams/ts/') || path.startsWith('/streams/fmp4/0/')),
    ).toEqual([]);
    await page.close();
  });

  it('saves the sound of a video whose source is an HLS playlist, sending the page as Referer', async () => {
    const page = await firefox.openPage(`${site.url}/hls-referer.html`);
    await page.waitFor('the button', () => document.querySelector('video-to-mp3-extract') !== null, []);
    await page.click('video-to-mp3-extract >>> button');
    await expectStreamSound(await firefox.waitForDownload('Hotlinked.mp3', 60_000), 'Hotlinked.mp3', source);
    await page.close();
  });

  it('takes an HLS link pasted into the popup’s Video link field (Enter)', async () => {
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.waitFor('the Video link field', () => document.querySelector('input[type=url]') !== null, []);
    await popup.type('input[type=url]', `${site.url}/streams/aes/index.m3u8\uE007`);
    await expectStreamSound(await firefox.waitForDownload('aes.mp3', 60_000), 'aes.mp3', source);
    expect(await popup.run(() => document.querySelector<HTMLInputElement>('input[type=url]')!.value)).toBe('');
    await popup.close();
  });
});
