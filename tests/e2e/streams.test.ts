import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { fixture, fixturePath } from './helpers/popup';
import { beepOnsets } from './helpers/live-stream';
import { analyzeMp3 } from './helpers/mp3';
import { makeStreams, periodsSound } from './helpers/streams';
import { expectStreamSound } from './helpers/stream-sound';
import { startTestSite, type TestSite } from './helpers/test-site';
import type { GoodExpectation } from '../../scripts/make-fixtures';

const run = promisify(execFile);

interface ProbedStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  disposition?: { attached_pic?: number };
}

const extractButton = (scope: Page): Locator => scope.getByRole('button', { name: 'Extract MP3', exact: true });

/** The MP3's cover is the test pages' poster, byte for byte (a PNG of a size no frame of the clip has). */
async function expectPosterAsCover(mp3: string): Promise<void> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', mp3]);
  const streams = (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
  expect(streams.find((stream) => stream.codec_type === 'video')).toMatchObject({
    codec_name: 'png',
    width: 400,
    height: 224,
    disposition: { attached_pic: 1 },
  });
  const picture = await run(
    'ffmpeg',
    ['-v', 'error', '-i', mp3, '-map', '0:v', '-c', 'copy', '-f', 'image2pipe', '-'],
    {
      encoding: 'buffer',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const poster = await readFile(join(inject('fixturesDir'), 'streams', 'poster', 'poster.png'));
  expect(Buffer.compare(picture.stdout, poster)).toBe(0);
}

describe('streamed videos (HLS, DASH)', () => {
  let session: ExtensionSession;
  let site: TestSite;
  let page: Page;
  let source: GoodExpectation;

  beforeAll(async () => {
    await makeStreams(join(inject('fixturesDir'), 'streams'), fixturePath('clip.mp4'));
    source = fixture('clip.mp4').expect as GoodExpectation;
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });
  afterEach(async () => {
    await page?.close();
  });

  async function extractOn(path: string, ready?: () => boolean): Promise<void> {
    page = await session.context.newPage();
    await page.goto(`${site.url}${path}`);
    await expect.poll(() => extractButton(page).count()).toBe(1);
    if (ready) await expect.poll(() => page.evaluate(ready)).toBe(true);
    site.requests.length = 0;
    site.extensionRequests.length = 0;
    await extractButton(page).click();
  }

  async function expectSameSound(mp3Name: string): Promise<void> {
    await expectStreamSound(await session.waitForDownload(mp3Name, 60_000), mp3Name, source);
  }

  it.each([
    ['MPEG-TS segments', '/hls-ts.html', 'Harbour tour.mp3'],
    ['AES-128 segments, the IV from the media sequence', '/hls-aes.html', 'Locked box.mp3'],
    ['byte ranges of one file', '/hls-byterange.html', 'One file.mp3'],
    ['the page’s cookie', '/hls-cookie.html', 'Members only.mp3'],
    ['the page as Referer', '/hls-referer.html', 'Hotlinked.mp3'],
  ])('saves the sound of a browser-played HLS video with %s, named after the page', async (_, path, mp3Name) => {
    await extractOn(path);
    await expectSameSound(mp3Name);
    await expect.poll(() => page.getByRole('status').innerText()).toContain(`Saved ${mp3Name}`);
  });

  it('takes the right-click Extract MP3 on a browser-played HLS video, with the page as Referer', async () => {
    page = await session.context.newPage();
    await page.goto(`${site.url}/hls-referer.html`);
    const info = {
      menuItemId: 'extract-mp3-video',
      srcUrl: `${site.url}/referer-only/ts/index.m3u8`,
      frameUrl: page.url(),
    };
    await session.serviceWorker.evaluate(
      async ({ info, url }) => {
        const [tab] = await chrome.tabs.query({ url });
        await (
          globalThis as unknown as { onContextMenuClick: (info: unknown, tab: unknown) => Promise<void> }
        ).onContextMenuClick(info, tab);
      },
      { info, url: page.url() },
    );
    await expectSameSound('Hotlinked.mp3');
  });

  it('fetches only the separate audio rendition of a master playlist, never the video', async () => {
    await extractOn('/hls-fmp4.html');
    await expectSameSound('Mountain walk.mp3');
    const fetched = site.requests.filter((path) => path.startsWith('/streams/fmp4/'));
    expect(fetched).toContain('/streams/fmp4/1/init_1.mp4');
    expect(fetched.filter((path) => path.startsWith('/streams/fmp4/0/'))).toEqual([]);
  });

  it('gives the MP3 the video’s poster as cover, fetching nothing of the video for it', async () => {
    // hls.js has read the master playlist once the video knows its length.
    await extractOn('/hlsjs-poster.html', () => document.querySelector('video')!.duration > 0);
    const mp3 = await session.waitForDownload('Poster page.mp3', 60_000);
    await expectStreamSound(mp3, 'Poster page.mp3', source);
    await expectPosterAsCover(mp3);
    // The extension's own requests: the playlists, the audio rendition's pieces and the poster, once.
    const fetched = site.extensionRequests;
    expect(fetched.filter((path) => path === '/streams/poster/poster.png')).toHaveLength(1);
    expect(fetched.filter((path) => path.startsWith('/streams/fmp4/0/'))).toEqual([]);
  });

  it('gives a plain page video the poster as cover too, rather than a frame', async () => {
    await extractOn('/poster-video.html');
    // Named after its file, as a plain video is.
    await expectPosterAsCover(await session.waitForDownload('clip.mp3', 60_000));
  });

  it('follows a player over MediaSource (hls.js) to the manifest of the video clicked', async () => {
    page = await session.context.newPage();
    await page.goto(`${site.url}/hlsjs.html`);
    // Both players fetch their whole (short) streams; what comes after the click is the extension's.
    // A player is done fetching once both videos have buffered to their end (audio and video alike:
    // a MediaSource's buffered range is what all its SourceBuffers hold); the last segment asked for
    // says nothing of the others still on their way.
    await expect
      .poll(() =>
        page.evaluate(() =>
          [...document.querySelectorAll('video')].every(
            (video) =>
              video.duration > 0 &&
              video.buffered.length > 0 &&
              video.buffered.end(video.buffered.length - 1) >= video.duration - 0.05,
          ),
        ),
      )
      .toBe(true);
    await expect.poll(() => extractButton(page).count()).toBe(2);
    site.requests.length = 0;
    await extractButton(page).nth(1).click();
    await expectSameSound('Two players.mp3');
    expect(site.requests).toContain('/streams/fmp4/master.m3u8');
    expect(
      site.requests.filter((path) => path.startsWith('/streams/ts/') || path.startsWith('/streams/fmp4/0/')),
    ).toEqual([]);
  });

  it.each([
    [
      'SegmentTemplate with a SegmentTimeline ($Number$)',
      '/dash-timeline.html',
      'River timeline.mp3',
      'chunk-stream1-',
    ],
    ['SegmentTemplate with a SegmentTimeline ($Time$)', '/dash-time.html', 'River time.mp3', 'chunk-1-'],
    ['SegmentTemplate by duration', '/dash-template.html', 'River template.mp3', 'chunk-stream1-'],
    ['a SegmentList of byte ranges', '/dash-list.html', 'River list.mp3', 'manifest-stream1.mp4'],
    ['SegmentBase (one file with a sidx)', '/dash-base.html', 'River base.mp3', 'audio.mp4'],
  ])('saves the sound of a dash.js video with %s, fetching only the audio', async (_, path, mp3Name, audioPiece) => {
    await extractOn(path);
    await expectSameSound(mp3Name);
    const fetched = site.extensionRequests.filter((request) => request.startsWith('/streams/'));
    expect(fetched.some((request) => request.includes(audioPiece))).toBe(true);
    expect(fetched.filter((request) => /stream0|chunk-0-|video\.mp4/.test(request))).toEqual([]);
  });

  /** The MP3 of `dash-periods/`: every period's beeps where the stream has them, and its whole length. */
  async function expectPeriodsSound(mp3Name: string): Promise<void> {
    const path = await session.waitForDownload(mp3Name, 60_000);
    const expected = periodsSound();
    const onsets = await beepOnsets(path);
    expect(onsets).toHaveLength(expected.onsets.length);
    onsets.forEach((onset, index) => expect(Math.abs(onset - expected.onsets[index]!)).toBeLessThan(0.05));
    expect(Math.abs((await analyzeMp3(path)).durationSeconds - expected.seconds)).toBeLessThan(0.05);
    const fetched = site.extensionRequests.filter((request) => request.startsWith('/streams/dash-periods/'));
    for (const period of ['p1', 'p2', 'p3'])
      expect(fetched).toContain(`/streams/dash-periods/${period}/chunk-stream1-00001.m4s`);
    expect(fetched.filter((request) => request.includes('stream0'))).toEqual([]);
  }

  it('joins the sound of every period of a dash.js video, each period naming its audio its own way', async () => {
    await extractOn('/dash-periods.html');
    await expectPeriodsSound('Three acts.mp3');
  });

  it('joins the periods of a pasted DASH link', async () => {
    const popup = await session.openPopup();
    site.extensionRequests.length = 0;
    await popup.getByLabel('Video link').fill(`${site.url}/streams/dash-periods/manifest.mpd`);
    await popup.locator('.video-link').getByRole('button', { name: 'Extract MP3', exact: true }).click();
    await expectPeriodsSound('dash-periods.mp3');
    await popup.close();
  });

  it('refuses a copy-protected DASH stream (ContentProtection) before fetching any of it', async () => {
    await extractOn('/dash-drm.html');
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 30_000 })
      .toMatch(/copy-protected \(DRM\), so its sound can.t be saved/);
    expect(site.extensionRequests).toEqual([]);
  });

  it('refuses a copy-protected (DRM) stream before fetching any of it', async () => {
    await extractOn('/hls-drm.html');
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 30_000 })
      .toMatch(/copy-protected \(DRM\), so its sound can't be saved/);
    expect(site.requests.filter((path) => path.endsWith('.ts'))).toEqual([]);
  });

  it('says which piece failed when a segment is gone', async () => {
    await extractOn('/hls-broken.html');
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 30_000 })
      .toMatch(/A piece of the stream of “Broken piece” could not be downloaded/);
  });

  it('takes a pasted manifest link in the popup (Enter), and alerts on text that is no link', async () => {
    const popup = await session.openPopup();
    const field = popup.getByLabel('Video link');
    await field.fill('just some words');
    await field.press('Enter');
    // The jobs that failed above have their alerts in the popup too.
    await expect
      .poll(() =>
        popup
          .getByRole('alert')
          .filter({ hasText: /^Paste the address of a video file/ })
          .count(),
      )
      .toBe(1);
    await field.fill(`${site.url}/streams/dash-timeline/manifest.mpd`);
    await field.press('Enter');
    await expectSameSound('dash-timeline.mp3');
    await expect.poll(() => field.inputValue()).toBe('');
    await popup.close();
  });

  it('says so when the playlist is missing', async () => {
    await extractOn('/hls-missing.html');
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 30_000 })
      .toMatch(/The stream of “Gone stream” could not be read.*no HLS playlist/);
  });
});
