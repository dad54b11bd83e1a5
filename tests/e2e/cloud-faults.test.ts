import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Faults, LoggedRequest, NemoVideoServer } from '../cloud-server/server';
import type { ExtensionSession } from './helpers/browser';
import { launchWithStandInCloud, type StandInCloud } from './helpers/cloud-session';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, jobRow } from './helpers/popup';

/** Short enough for a test to wait out, long enough for a loaded machine to answer in time when nothing is wrong. */
const LIMITS = { cloudRequestMs: 5000, cloudStreamIdleMs: 5000, cloudExportMs: 15_000 };

const isExport = (request: LoggedRequest) => request.method === 'POST' && request.path === '/api/render/proxy/lambda';
const isChat = (request: LoggedRequest) => request.path === '/run_sse';
const isUpload = (request: LoggedRequest) => request.method === 'POST' && request.path.startsWith('/api/upload-video/');
const isState = (request: LoggedRequest) => request.method === 'GET' && request.path.startsWith('/api/state/');
const isNewSession = (request: LoggedRequest) =>
  request.method === 'POST' && request.path.startsWith('/api/tasks/me/with-session/');

interface FaultCase {
  what: string;
  fault: Faults;
  clip: string;
  /** What the alert says, after the file's name. */
  says: RegExp;
  /** A call whose count shows nothing was sent twice: how many the failed attempt made; a working attempt makes one. */
  counted: (request: LoggedRequest) => boolean;
  sentByFailedAttempt: number;
}

const NO_REPLY = /stopped answering\. Press Retry/;
const SERVER = /couldn't complete the request\. Press Retry/;
const BAD_REPLY = /sent a reply this extension doesn't understand\. Press Retry/;

const cases: FaultCase[] = [
  {
    what: 'a hung export request',
    fault: { hangOnce: 'export' },
    clip: 'clip.mp4',
    says: NO_REPLY,
    counted: isExport,
    sentByFailedAttempt: 1,
  },
  {
    what: 'an upload that gets no reply',
    fault: { hangOnce: 'upload' },
    clip: 'aac-mono-44k.mov',
    says: NO_REPLY,
    counted: isUpload,
    sentByFailedAttempt: 1,
  },
  {
    what: 'a chat stream that goes silent',
    fault: { chatSilentOnce: true },
    clip: 'opus-48k.webm',
    says: NO_REPLY,
    counted: isChat,
    sentByFailedAttempt: 1,
  },
  {
    what: 'a chat stream cut off mid-event',
    fault: { chatCutOffOnce: true },
    clip: 'vorbis-44k.webm',
    says: /Can't reach NemoVideo\..*press Retry/,
    counted: isChat,
    sentByFailedAttempt: 1,
  },
  // A GET is asked once more before it fails; a POST never is.
  {
    what: 'HTTP 503 (HTML page) every time',
    fault: { serverError: 'state' },
    clip: 'flac-48k.mkv',
    says: SERVER,
    counted: isState,
    sentByFailedAttempt: 2,
  },
  {
    what: 'HTTP 502 (HTML page) once, on export',
    fault: { serverErrorOnce: 'export' },
    clip: 'mp3-44k.avi',
    says: SERVER,
    counted: isExport,
    sentByFailedAttempt: 1,
  },
  {
    what: 'JSON cut off halfway',
    fault: { truncatedJsonOnce: 'session' },
    clip: 'pcm-s16le-48k.mov',
    says: BAD_REPLY,
    counted: isChat,
    sentByFailedAttempt: 0,
  },
  {
    what: 'wrong-shape JSON on the export',
    fault: { wrongShapeOnce: 'export' },
    clip: 'aac-22k.mp4',
    says: BAD_REPLY,
    counted: isExport,
    sentByFailedAttempt: 1,
  },
  {
    what: 'a render that never completes',
    fault: { renderNeverCompletes: true },
    clip: 'mp3-48k.mp4',
    says: /taking too long to make the MP3\. Press Retry/,
    counted: isExport,
    sentByFailedAttempt: 1,
  },
];

describe('NemoVideo faults end in plain words and Retry, never a stuck job (against the stand-in server)', () => {
  let server: NemoVideoServer;
  let session: ExtensionSession;
  let popup: Page | undefined;
  let cloud: StandInCloud;
  let consoleLines: string[];

  beforeAll(async () => {
    cloud = await launchWithStandInCloud();
    ({ server, session, consoleLines } = cloud);
    await session.serviceWorker.evaluate((limits) => chrome.storage.local.set({ limits }), LIMITS);
  });
  afterAll(() => cloud?.close());
  afterEach(async () => {
    server.setFaults({});
    await popup?.close();
    // Every attempt pays for its edit: give the anonymous user its free credits back for the next case.
    for (const account of server.credits.values()) account.available = 100;
  });

  function debugOnFailure(): void {
    onTestFailed(async () => {
      console.log(
        'DBG popup:',
        await popup
          ?.locator('main')
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
          .slice(-20)
          .map((request) => `${request.method} ${request.path}`)
          .join(' | '),
      );
    });
  }

  /** Waits for the job to fail, and checks it says so in plain words, with Retry, and no spinner left. */
  async function expectPlainFailure(row: Locator, clip: string, says: RegExp): Promise<string> {
    const alert = row.getByRole('alert');
    const named = new RegExp(
      `^“${clip.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}” was not converted in the NemoVideo cloud\\.`,
    );
    await expect.poll(() => alert.innerText().catch(() => ''), { timeout: 90_000 }).toMatch(named);
    const text = await alert.innerText();
    expect(text).toMatch(says);
    expect(text).not.toMatch(
      /HTTP|<\/?[a-z]|nginx|Gateway|Unavailable|\bError\b|TypeError|Abort|\bat \S+:\d+|[{}]|nmv_|render_|\b[1-5]\d\d\b/,
    );
    expect(await row.getByRole('progressbar').count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Retry' }).count()).toBe(1);
    return text;
  }

  it.each(cases)(
    '$what: says so, and Retry makes the MP3 without sending anything twice',
    async ({ fault, clip, says, counted, sentByFailedAttempt }) => {
      debugOnFailure();
      const sent = () => server.requests.filter(counted).length;
      const before = sent();
      popup = await session.openPopup();
      server.setFaults(fault);
      await chooseVideos(popup, [clip]);
      const row = jobRow(popup, clip);
      await expectPlainFailure(row, clip, says);
      expect(sent() - before).toBe(sentByFailedAttempt);

      server.setFaults({});
      await row.getByRole('button', { name: 'Retry' }).click();
      const mp3 = await analyzeMp3(await session.waitForDownload(clip.replace(/\.\w+$/, '.mp3'), 120_000));
      expect(mp3.codec).toBe('mp3');
      expect(sent() - before).toBe(sentByFailedAttempt + 1);
    },
  );

  it('exports again on Retry when only the export failed: the edit is not sent, uploaded or charged again', async () => {
    debugOnFailure();
    popup = await session.openPopup();
    server.setFaults({ serverErrorOnce: 'export' });
    const count = (which: (request: LoggedRequest) => boolean) => server.requests.filter(which).length;
    const before = {
      sessions: count(isNewSession),
      uploads: count(isUpload),
      chats: count(isChat),
      exports: count(isExport),
    };
    await chooseVideos(popup, ['ac3-5.1-48k.mkv']);
    const row = jobRow(popup, 'ac3-5.1-48k.mkv');
    await expectPlainFailure(row, 'ac3-5.1-48k.mkv', SERVER);
    const creditsAfterTheEdit = [...server.credits.values()].map((account) => account.available);

    server.setFaults({});
    await row.getByRole('button', { name: 'Retry' }).click();
    expect((await analyzeMp3(await session.waitForDownload('ac3-5.1-48k.mp3', 120_000))).codec).toBe('mp3');
    expect({
      sessions: count(isNewSession),
      uploads: count(isUpload),
      chats: count(isChat),
      exports: count(isExport),
    }).toEqual({
      sessions: before.sessions + 1,
      uploads: before.uploads + 1,
      chats: before.chats + 1,
      exports: before.exports + 2,
    });
    expect([...server.credits.values()].map((account) => account.available)).toEqual(creditsAfterTheEdit);
  });

  it('stops a render it gave up waiting for', async () => {
    debugOnFailure();
    popup = await session.openPopup();
    server.setFaults({ renderNeverCompletes: true });
    const exportsBefore = server.requests.filter(isExport).length;
    await chooseVideos(popup, ['eac3-48k.mkv']);
    await expectPlainFailure(jobRow(popup, 'eac3-48k.mkv'), 'eac3-48k.mkv', /taking too long/);
    const [submitted] = server.requests.filter(isExport).slice(exportsBefore);
    const renderId = (submitted?.body as { id?: string } | undefined)?.id;
    expect(renderId).toMatch(/^render_/);
    await expect
      .poll(
        () =>
          server.requests.some(
            (request) => request.method === 'POST' && request.path === `/api/render/proxy/lambda/${renderId}/cancel`,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
  });
});
