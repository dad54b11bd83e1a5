import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import type { NemoVideoServer } from '../cloud-server/server';
import type { ExtensionSession } from './helpers/browser';
import { expectAttributedCloudCalls, expectCloudClipMp3 } from './helpers/cloud-expect';
import { launchWithStandInCloud, type StandInCloud } from './helpers/cloud-session';
import { changeSettings } from './helpers/options';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, jobRow } from './helpers/popup';

describe('the NemoVideo cloud engine (against the project stand-in server)', () => {
  let server: NemoVideoServer;
  let session: ExtensionSession;
  let popup: Page;
  let cloud: StandInCloud;
  let consoleLines: string[];

  beforeAll(async () => {
    cloud = await launchWithStandInCloud();
    ({ server, session, consoleLines } = cloud);
  });
  afterAll(() => cloud?.close());
  afterEach(async () => {
    server.setFaults({});
    await popup?.close();
  });

  async function convertInCloud(name: string): Promise<Page> {
    onTestFailed(async () => {
      console.log(
        'DBG popup:',
        await popup
          .locator('main')
          .innerText()
          .catch(() => '(closed)'),
      );
      console.log(
        'DBG jobs:',
        JSON.stringify(
          await session.serviceWorker.evaluate(() => chrome.storage.local.get('jobs')).catch(String),
        ).slice(0, 3000),
      );
      console.log('DBG console:', consoleLines.slice(-30).join('\n'));
      console.log(
        'DBG requests:',
        server.requests
          .slice(-15)
          .map((request) => `${request.method} ${request.path}`)
          .join(' | '),
      );
    });
    popup = await session.openPopup();
    await chooseVideos(popup, [name]);
    return popup;
  }

  it('makes the MP3 in the cloud with attribution on every call, and shows the credits', async () => {
    await convertInCloud('clip.mp4');
    await expectCloudClipMp3(await session.waitForDownload('clip.mp3', 90_000));
    expectAttributedCloudCalls(server, 'chrome-extension');
    await expect
      .poll(() => popup.getByText(/Credits: \d+/).innerText(), { timeout: 10_000 })
      .toMatch(/Credits: (9\d|100)/);
  });

  it('keeps the token where content scripts and pages cannot read it', async () => {
    const local = await session.serviceWorker.evaluate(() => chrome.storage.local.get(null));
    expect(JSON.stringify(local)).not.toMatch(/nmv_usr_|clientId|token/i);
  });

  it('renews an expired token and retries once', async () => {
    server.setFaults({ tokenExpiredOnce: true });
    await convertInCloud('opus-48k.webm');
    expect((await analyzeMp3(await session.waitForDownload('opus-48k.mp3', 90_000))).codec).toBe('mp3');
  });

  it.each([
    {
      fault: { sessionLostOnce: true },
      clip: 'aac-mono-44k.mov',
      mp3: 'aac-mono-44k.mp3',
      what: 'makes a new session when the backend lost it',
    },
    {
      fault: { sseShape: 'adk', chatWithoutText: true },
      clip: 'clip.mp4',
      mp3: 'clip (1).mp3',
      what: 'reads the agent-framework event shape, and a reply with no text',
    },
  ] as const)('$what', async ({ fault, clip, mp3 }) => {
    server.setFaults(fault);
    await convertInCloud(clip);
    expect((await analyzeMp3(await session.waitForDownload(mp3, 90_000))).codec).toBe('mp3');
  });

  it('waits and retries once when rate limited, saying so', async () => {
    const creditChecks = () =>
      server.requests.filter((request) => request.path === '/api/credits/balance/simple').length;
    const before = creditChecks();
    popup = await session.openPopup();
    // The popup checks the credits when it opens; the next call after that is the job's.
    await expect.poll(creditChecks).toBeGreaterThan(before);
    await popup.waitForTimeout(300);
    server.setFaults({ rateLimitedOnce: true });
    await chooseVideos(popup, ['aac-22k.mp4']);
    const notices: string[] = [];
    const watch = setInterval(
      () =>
        void popup
          .getByRole('status')
          .allInnerTexts()
          .catch(() => [])
          .then((texts) => notices.push(...texts)),
      100,
    );
    const mp3 = await analyzeMp3(await session.waitForDownload('aac-22k.mp3', 90_000));
    clearInterval(watch);
    expect(mp3.codec).toBe('mp3');
    expect(notices.join(' ')).toMatch(/NemoVideo asked to slow down: trying again in 1 s/);
  });

  it('explains a file over 500 MB and offers to convert it on this device', async () => {
    server.setFaults({ tooLarge: true });
    await convertInCloud('aac-5.1-48k.mp4');
    const row = jobRow(popup, 'aac-5.1-48k.mp4');
    await expect.poll(() => row.getByRole('alert').innerText(), { timeout: 30_000 }).toMatch(/500 MB/);
    expect(await row.getByRole('button', { name: 'Convert on this device' }).count()).toBe(1);
  });

  it('extracts the MP3 on this device when the cloud sends back a video', async () => {
    server.setFaults({ renderReturnsMp4: true });
    await convertInCloud('flac-48k.mkv');
    const mp3 = await analyzeMp3(await session.waitForDownload('flac-48k.mp3', 90_000));
    expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: 48_000 });
  });

  it('explains an unsupported file and offers to convert it on this device', async () => {
    server.setFaults({ unsupportedFile: true });
    await convertInCloud('vorbis-44k.webm');
    const row = jobRow(popup, 'vorbis-44k.webm');
    await expect
      .poll(() => row.getByRole('alert').innerText(), { timeout: 30_000 })
      .toMatch(/“vorbis-44k\.webm”.*NemoVideo.*MP4, MOV/);
    server.setFaults({});
    await row.getByRole('button', { name: 'Convert on this device' }).click();
    expect((await analyzeMp3(await session.waitForDownload('vorbis-44k.mp3', 60_000))).sampleRate).toBe(44_100);
  });

  it('says when the credits have run out, with the registration link', async () => {
    server.setFaults({ noCredits: true });
    await convertInCloud('aac-mono-44k.mov');
    const alert = jobRow(popup, 'aac-mono-44k.mov').getByRole('alert');
    await expect
      .poll(() => alert.innerText(), { timeout: 30_000 })
      .toMatch(/used all your free NemoVideo credits.*bind=/);
  });

  it('says the plan blocks export, in plain words', async () => {
    server.setFaults({ planBlocked: true });
    await convertInCloud('pcm-s16le-48k.mov');
    const alert = jobRow(popup, 'pcm-s16le-48k.mov').getByRole('alert');
    await expect
      .poll(() => alert.innerText(), { timeout: 30_000 })
      .toMatch(/Register or upgrade your plan to unlock export/);
  });

  it('says plainly when NemoVideo cannot be reached, and keeps the job for Retry', async () => {
    await changeSettings(session, { cloudBaseUrl: 'http://127.0.0.1:9' });
    await convertInCloud('mp3-44k.avi');
    const row = jobRow(popup, 'mp3-44k.avi');
    await expect
      .poll(() => row.getByRole('alert').innerText(), { timeout: 60_000 })
      .toMatch(/“mp3-44k\.avi”.*Can't reach NemoVideo.*Retry/);
    await changeSettings(session, { cloudBaseUrl: server.url });
    await row.getByRole('button', { name: 'Retry' }).click();
    expect((await analyzeMp3(await session.waitForDownload('mp3-44k.mp3', 90_000))).codec).toBe('mp3');
  });

  it('resumes after the service worker is stopped mid-chat, without sending the message again', async () => {
    const chatsBefore = server.requests.filter((request) => request.path === '/run_sse').length;
    server.setFaults({ chatDelayMs: 4000 });
    await convertInCloud('aac-5.1-48k.mp4');
    await expect
      .poll(() => server.requests.filter((request) => request.path === '/run_sse').length, { timeout: 30_000 })
      .toBe(chatsBefore + 1);
    await session.stopServiceWorker();
    await popup.reload();
    expect((await analyzeMp3(await session.waitForDownload('aac-5.1-48k.mp3', 90_000))).codec).toBe('mp3');
    expect(server.requests.filter((request) => request.path === '/run_sse')).toHaveLength(chatsBefore + 1);
  });

  it('resumes after the service worker is stopped mid-job, polling the same render instead of exporting again', async () => {
    const exportsBefore = server.requests.filter(
      (request) => request.method === 'POST' && request.path === '/api/render/proxy/lambda',
    ).length;
    await convertInCloud('long.mp4');
    await expect
      .poll(
        () =>
          server.requests.filter((request) => request.method === 'POST' && request.path === '/api/render/proxy/lambda')
            .length,
        { timeout: 60_000 },
      )
      .toBe(exportsBefore + 1);
    await session.stopServiceWorker();
    // Opening the popup (it asks for the credits) wakes the worker, which resumes the job.
    await popup.reload();
    await session.waitForDownload('long.mp3', 120_000);
    expect(
      server.requests.filter((request) => request.method === 'POST' && request.path === '/api/render/proxy/lambda')
        .length,
    ).toBe(exportsBefore + 1);
  });

  it('on Automatic, offers to try the cloud (with its cost) for a file this device cannot read', async () => {
    await changeSettings(session, { engine: 'auto' });
    await convertInCloud('notes.mp4');
    const row = jobRow(popup, 'notes.mp4');
    await expect.poll(() => row.getByRole('alert').innerText(), { timeout: 30_000 }).toMatch(/isn't a video file/);
    const tryCloud = row.getByRole('button', { name: 'Try the cloud' });
    expect(await tryCloud.getAttribute('aria-describedby')).toBeTruthy();
    await expect.poll(() => row.innerText()).toMatch(/Uses NemoVideo credits \(you have \d+\)/);
    const uploadsBefore = server.requests.filter((request) => request.path.startsWith('/api/upload-video')).length;
    await tryCloud.click();
    await expect
      .poll(() => server.requests.filter((request) => request.path.startsWith('/api/upload-video')).length, {
        timeout: 30_000,
      })
      .toBe(uploadsBefore + 1);
    await expect.poll(() => row.getByRole('alert').innerText(), { timeout: 30_000 }).toMatch(/NemoVideo/);
  });
});
