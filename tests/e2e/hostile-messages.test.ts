import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CDPSession, Frame, Locator, Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos } from './helpers/popup';
import { startTestSite } from './helpers/test-site';

const ID = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const HUGE = 'x'.repeat(200_000);
const GOOD_FILE = { inputKey: ID, fileName: 'clip.mp4', size: 1000 };
const FORGED_GRANT = 'a'.repeat(72);
/** Any web video: the requests that name it are refused before anything fetches it. */
const WEB_VIDEO = 'https://example.org/media/clip.mp4';

/** What a receiver made of a message: refused by its schema, refused for its sender, handled, or anything else (shown as it came). */
type Outcome = 'invalid' | 'forbidden' | 'accepted' | `other: ${string}`;

interface Case {
  type: string;
  /** Absent: the message carries no payload at all. */
  data?: unknown;
  why: string;
}

/**
 * An expression that sends @webext-core/messaging's envelope through chrome.runtime.sendMessage, as
 * the extension's own code does, and resolves to the raw reply: `{ res }` or `{ err }` from a listener.
 * A string, so that the same code runs in the popup, the bridge frame and a content script's world.
 */
function sendExpression({ type, data }: Case): string {
  const payload = data === undefined ? 'undefined' : JSON.stringify(data);
  return `new Promise((resolve) => chrome.runtime.sendMessage(
    { id: 1, type: ${JSON.stringify(type)}, data: ${payload}, timestamp: Date.now() },
    (reply) => resolve(chrome.runtime.lastError ? { lastError: chrome.runtime.lastError.message } : reply ?? { noReply: true }),
  ))`;
}

function outcomeOf(reply: unknown): Outcome {
  const { err, lastError, noReply } = (reply ?? {}) as {
    err?: { name?: string; message?: string };
    lastError?: string;
    noReply?: true;
  };
  if (err?.name === 'ZodError') return 'invalid';
  if (err?.message?.endsWith('is not accepted from this sender')) return 'forbidden';
  if (typeof reply === 'object' && !err && !lastError && !noReply) return 'accepted';
  return `other: ${JSON.stringify(reply)}`;
}

const extractButton = (page: Page): Locator => page.getByRole('button', { name: 'Extract MP3', exact: true });

/** Payloads of the wrong shape for each message the background listens to, sent from the popup (allowed to send them). */
const badForBackground: Case[] = [
  { type: 'jobs:start', data: {}, why: 'no files' },
  { type: 'jobs:start', data: { files: [] }, why: 'an empty file list' },
  {
    type: 'jobs:start',
    data: { files: [{ inputKey: 1, fileName: 'clip.mp4', size: '1' }] },
    why: 'wrong types in a file',
  },
  { type: 'jobs:start', data: { files: [{ ...GOOD_FILE, size: -5 }] }, why: 'a negative size' },
  { type: 'jobs:start', data: { files: [{ ...GOOD_FILE, fileName: HUGE }] }, why: 'a huge file name' },
  { type: 'jobs:start', data: { files: [{ ...GOOD_FILE, inputKey: HUGE }] }, why: 'a huge input key' },
  { type: 'jobs:start', data: { files: [GOOD_FILE], engine: 'cloud', admin: true }, why: 'extra junk' },
  { type: 'jobs:start', data: { files: [{ ...GOOD_FILE, path: '/etc/passwd' }] }, why: 'extra junk in a file' },
  { type: 'jobs:start', data: { files: [GOOD_FILE], instructions: HUGE }, why: 'oversized instructions' },
  {
    type: 'jobs:start',
    data: { files: [GOOD_FILE], trim: { startSeconds: 9, endSeconds: 2 } },
    why: 'a trim that ends before it starts',
  },
  { type: 'jobs:start', data: 'clip.mp4', why: 'a string for a payload' },
  { type: 'jobs:start', why: 'no payload' },
  { type: 'jobs:cancel', data: {}, why: 'no job id' },
  { type: 'jobs:cancel', data: { jobId: 42 }, why: 'a number for the job id' },
  { type: 'jobs:cancel', data: { jobId: HUGE }, why: 'an oversized job id' },
  { type: 'jobs:retry', data: { jobId: ID, engine: 'gpu' }, why: 'an engine that does not exist' },
  { type: 'jobs:remove', data: { jobId: null }, why: 'a null job id' },
  { type: 'jobs:remove', data: { jobId: ID, everything: true }, why: 'extra junk' },
  { type: 'engine:warm-up', data: { now: true }, why: 'a payload where none belongs' },
  { type: 'cloud:refresh-credits', data: 'now', why: 'a payload where none belongs' },
  { type: 'cloud:send', data: { jobId: ID, message: '' }, why: 'an empty message' },
  { type: 'cloud:send', data: { jobId: ID, message: HUGE }, why: 'an oversized message' },
  { type: 'cloud:send', data: { message: 'hello' }, why: 'no job id' },
  { type: 'cloud:export', data: { jobId: [ID] }, why: 'an array for the job id' },
  { type: 'history:download-again', data: {}, why: 'no entry id' },
  { type: 'history:download-again', data: { entryId: HUGE }, why: 'an oversized entry id' },
  { type: 'history:download-again', data: { entryId: ID, url: 'https://example.org/evil.exe' }, why: 'extra junk' },
  { type: 'history:show-in-folder', data: { entryId: 7 }, why: 'a number for the entry id' },
  { type: 'job:progress', data: { jobId: ID, phase: 'converting', progress: 7 }, why: 'progress 7' },
  { type: 'job:progress', data: { jobId: ID, phase: 'converting', progress: -1 }, why: 'negative progress' },
  { type: 'job:progress', data: { jobId: ID, phase: 'saving', progress: 0.5 }, why: 'a phase that is not reported' },
  { type: 'job:progress', data: { jobId: ID, phase: 'reading', progress: '50%' }, why: 'progress as text' },
  { type: 'job:converted', data: { jobId: ID, outputKey: ID, size: 'big', durationSeconds: 3 }, why: 'a size as text' },
  { type: 'job:converted', data: { jobId: ID, size: 10, durationSeconds: 3 }, why: 'no output key' },
  {
    type: 'job:converted',
    data: { jobId: ID, outputKey: ID, size: 10, durationSeconds: 3, downloadId: 1 },
    why: 'extra junk',
  },
  { type: 'job:failed', data: { jobId: ID, reason: 'pwned' }, why: 'a failure reason not in the list' },
  {
    type: 'job:failed',
    data: { jobId: ID, reason: 'internal', error: '<img src=x onerror=alert(1)>' },
    why: 'extra junk',
  },
  { type: 'job:failed', data: { jobId: ID }, why: 'no reason' },
];

/** Messages only a content script or the bridge frame may send: refused from the popup whatever they carry. */
const notFromExtensionPages: Case[] = [
  {
    type: 'page:extract-url',
    data: { url: 'https://example.org/clip.mp4', pageTitle: 'Clip' },
    why: 'a well-formed page job',
  },
  { type: 'page:extract-url', data: { url: 'javascript:alert(1)', pageTitle: 'Clip' }, why: 'a javascript: URL' },
  { type: 'page:grant', why: 'a grant' },
  {
    type: 'bridge:start',
    data: { grant: FORGED_GRANT, files: [{ blobUrl: 'blob:http://127.0.0.1/0b6c', fileName: 'a.mp4', size: 1 }] },
    why: 'a web page blob URL',
  },
];

/** Payloads of the wrong shape for each request the offscreen document listens to. */
const badForOffscreen: Case[] = [
  { type: 'site:convert', data: {}, why: 'nothing in it' },
  {
    type: 'site:convert',
    data: { jobId: ID, source: { kind: 'path', path: '/etc/passwd' }, fileName: 'a.mp4', bitrate: 192, title: 'a' },
    why: 'a source kind that does not exist',
  },
  {
    type: 'site:convert',
    data: {
      jobId: ID,
      source: { kind: 'url', url: 'file:///etc/passwd' },
      fileName: 'a.mp4',
      bitrate: 192,
      title: 'a',
    },
    why: 'a file: URL',
  },
  {
    type: 'site:convert',
    data: { jobId: ID, source: { kind: 'stored-file', inputKey: ID }, fileName: 'a.mp4', bitrate: 'max', title: 'a' },
    why: 'a bitrate as text',
  },
  {
    type: 'site:convert',
    data: {
      jobId: ID,
      source: { kind: 'stored-file', inputKey: ID },
      fileName: 'a.mp4',
      bitrate: 192,
      title: 'a',
      exec: 'rm',
    },
    why: 'extra junk',
  },
  { type: 'site:cancel', data: { jobId: HUGE }, why: 'an oversized job id' },
  { type: 'site:running', data: [1, 2, 3], why: 'a payload where none belongs' },
  { type: 'site:object-url', data: { outputKey: 1 }, why: 'a number for the output key' },
  {
    type: 'site:adopt',
    data: { blobUrl: 'blob:http://127.0.0.1:8080/0b6c', inputKey: ID },
    why: 'a web page blob URL',
  },
  {
    type: 'site:adopt',
    data: { blobUrl: 'https://example.org/clip.mp4', inputKey: ID },
    why: 'a web address, not a blob URL',
  },
  {
    type: 'site:adopt',
    data: { blobUrl: `blob:chrome-extension://${HUGE}`, inputKey: ID },
    why: 'an oversized blob URL',
  },
  { type: 'site:adopt', data: { blobUrl: 'blob:chrome-extension://abc/0b6c' }, why: 'no input key' },
  {
    type: 'site:upload',
    data: { jobId: ID, inputKey: ID, fileName: 'a.mp4', url: 'javascript:alert(1)', headers: {}, field: 'file' },
    why: 'a javascript: URL',
  },
  {
    type: 'site:upload',
    data: { jobId: ID, inputKey: ID, fileName: 'a.mp4', url: 'https://example.org/', headers: { n: 1 }, field: 'file' },
    why: 'a header that is not text',
  },
  {
    type: 'site:fetch-input',
    data: { jobId: ID, source: { kind: 'url', url: 'file:///etc/passwd' } },
    why: 'a file: URL',
  },
  {
    type: 'site:fetch-input',
    data: { jobId: ID, source: { kind: 'url', url: 'data:video/mp4;base64,AAAA' } },
    why: 'a data: URL',
  },
  { type: 'site:revoke-url', data: { url: 5 }, why: 'a number for the URL' },
];

/** Well-formed messages a content script may not send at all. */
const forbiddenFromContentScripts: Case[] = [
  { type: 'jobs:start', data: { files: [GOOD_FILE] }, why: 'start a job from stored files' },
  { type: 'jobs:retry', data: { jobId: ID }, why: 'retry a job' },
  { type: 'jobs:cancel', data: { jobId: ID }, why: 'cancel a job' },
  { type: 'engine:warm-up', why: 'warm the engine up' },
  { type: 'cloud:send', data: { jobId: ID, message: 'Make it louder' }, why: 'talk to the cloud' },
  { type: 'history:download-again', data: { entryId: ID }, why: 'download an MP3 again' },
  { type: 'history:show-in-folder', data: { entryId: ID }, why: 'open the downloads folder' },
  { type: 'job:progress', data: { jobId: ID, phase: 'converting', progress: 0.5 }, why: 'report progress' },
  {
    type: 'job:converted',
    data: { jobId: ID, outputKey: ID, size: 10, durationSeconds: 3 },
    why: 'report a conversion',
  },
  { type: 'job:failed', data: { jobId: ID, reason: 'internal' }, why: 'report a failure' },
  {
    type: 'bridge:start',
    data: { grant: FORGED_GRANT, files: [{ blobUrl: 'blob:chrome-extension://abc/0b6c', fileName: 'a.mp4', size: 1 }] },
    why: 'hand over files',
  },
  {
    type: 'site:convert',
    data: { jobId: ID, source: { kind: 'url', url: WEB_VIDEO }, fileName: 'clip.mp4', bitrate: 192, title: 'clip' },
    why: 'convert in the offscreen document',
  },
  { type: 'site:fetch-input', data: { jobId: ID, source: { kind: 'url', url: WEB_VIDEO } }, why: 'download a video' },
  { type: 'site:adopt', data: { blobUrl: 'blob:chrome-extension://abc/0b6c', inputKey: ID }, why: 'store a blob' },
  { type: 'site:object-url', data: { outputKey: ID }, why: 'read a stored MP3' },
];

/** Messages a content script may send, with payloads of the wrong shape. */
const badFromContentScripts: Case[] = [
  { type: 'page:extract-url', data: { url: 'javascript:alert(1)', pageTitle: 'Clip' }, why: 'a javascript: URL' },
  { type: 'page:extract-url', data: { url: 'file:///etc/passwd', pageTitle: 'Clip' }, why: 'a file: URL' },
  { type: 'page:extract-url', data: { url: 'data:video/mp4;base64,AAAA', pageTitle: 'Clip' }, why: 'a data: URL' },
  {
    type: 'page:extract-url',
    data: { url: 'blob:https://example.org/0b6c', pageTitle: 'Clip' },
    why: 'a page blob URL',
  },
  { type: 'page:extract-url', data: { url: 'not a url', pageTitle: 'Clip' }, why: 'text that is no URL' },
  { type: 'page:extract-url', data: { url: WEB_VIDEO, pageTitle: HUGE }, why: 'a huge title' },
  { type: 'page:extract-url', data: { url: `${WEB_VIDEO}?${HUGE}`, pageTitle: 'Clip' }, why: 'a huge address' },
  { type: 'page:extract-url', data: { url: WEB_VIDEO }, why: 'no title' },
  { type: 'page:extract-url', data: { url: 42, pageTitle: 'Clip' }, why: 'a number for the URL' },
  { type: 'page:extract-url', data: { url: WEB_VIDEO, pageTitle: 'Clip', engine: 'cloud' }, why: 'extra junk' },
  { type: 'page:grant', data: { forever: true }, why: 'a payload where none belongs' },
];

describe('hostile messages through the real runtime', () => {
  let session: ExtensionSession;
  let site: Awaited<ReturnType<typeof startTestSite>>;
  let popup: Page;
  let page: Page;
  let pageCdp: CDPSession;
  const uncaught: string[] = [];

  const sendFrom = async (scope: Page | Frame, message: Case): Promise<Outcome> =>
    outcomeOf(await scope.evaluate(sendExpression(message)));

  /** What a message that got through would have left behind: jobs, Completed downloads, downloads. */
  const traces = () =>
    session.serviceWorker.evaluate(async () => {
      const { jobs, history } = await chrome.storage.local.get(['jobs', 'history']);
      const downloads = await chrome.downloads.search({});
      return {
        jobs: Object.keys(jobs ?? {}),
        history: (history ?? []) as unknown[],
        downloads: downloads.map((item) => item.filename),
      };
    });
  const NO_TRACES = { jobs: [], history: [], downloads: [] };

  /** The offscreen document closes when idle; requests to it are only checked while it is there to check them. */
  async function offscreenListening(): Promise<void> {
    await expect
      .poll(
        async () => {
          await popup.evaluate(sendExpression({ type: 'engine:warm-up', why: 'open the offscreen document' }));
          return sendFrom(popup, { type: 'site:running', why: 'is it there' });
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe('accepted');
  }

  async function visitVideoPage(): Promise<void> {
    page = await session.context.newPage();
    page.on('pageerror', (error) => uncaught.push(`page: ${error.message}`));
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(`${site.url}/video.html`);
    await vi.waitFor(async () => expect(await extractButton(page).count()).toBe(1), { timeout: 30_000, interval: 100 });
    pageCdp = await session.context.newCDPSession(page);
    pageCdp.on('Runtime.exceptionThrown', ({ exceptionDetails }) =>
      uncaught.push(`page or content script: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`),
    );
  }

  /** The content script's isolated world in the page's top frame, which Playwright can't evaluate in by itself. */
  async function contentScriptContext(): Promise<number> {
    const contexts: { id: number; origin: string; name: string; auxData?: { type?: string } }[] = [];
    pageCdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    await pageCdp.send('Runtime.enable');
    const ours = () =>
      contexts.find(
        (context) =>
          context.auxData?.type === 'isolated' &&
          (context.origin === `chrome-extension://${session.extensionId}` || context.name === 'Video to MP3'),
      );
    return vi.waitFor(
      () => {
        const context = ours();
        if (!context) throw new Error('no content script world in the page yet');
        return context.id;
      },
      { timeout: 10_000, interval: 100 },
    );
  }

  async function sendFromContentScript(contextId: number, message: Case): Promise<Outcome> {
    const { result, exceptionDetails } = await pageCdp.send('Runtime.evaluate', {
      expression: sendExpression(message),
      contextId,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`evaluating in the content script failed: ${exceptionDetails.text}`);
    return outcomeOf(result.value);
  }

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension();
    popup = await session.openPopup();
    popup.on('pageerror', (error) => uncaught.push(`popup: ${error.message}`));
    await session.serviceWorker.evaluate(() => {
      const errors: string[] = [];
      Object.assign(globalThis, { uncaughtForTest: errors });
      self.addEventListener('error', (event) => errors.push(String(event.message)));
      self.addEventListener('unhandledrejection', (event) => errors.push(String(event.reason)));
    });
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  it('tells a refused message from a handled one (so that the refusals below mean something)', async () => {
    expect(await sendFrom(popup, { type: 'jobs:cancel', data: { jobId: ID }, why: 'a job that does not exist' })).toBe(
      'accepted',
    );
    await offscreenListening();
  });

  it.each(badForBackground)('the background refuses $type with $why, from an extension page', async (message) => {
    expect(await sendFrom(popup, message)).toBe('invalid');
  });

  it.each(notFromExtensionPages)('the background refuses $type ($why) from an extension page', async (message) => {
    expect(await sendFrom(popup, message)).toBe('forbidden');
  });

  it.each(badForOffscreen)('the offscreen document refuses $type with $why', async (message) => {
    await offscreenListening();
    expect(await sendFrom(popup, message)).toBe('invalid');
  });

  it('leaves nothing behind after the malformed messages from an extension page: no job, no download, no history', async () => {
    expect(await traces()).toEqual(NO_TRACES);
  });

  describe('from a content script in a web page', () => {
    let contextId: number;
    beforeAll(async () => {
      await visitVideoPage();
      contextId = await contentScriptContext();
    });

    it.each(forbiddenFromContentScripts)('refuses $type: a content script may not $why', async (message) => {
      if (message.type.startsWith('site:')) await offscreenListening();
      expect(await sendFromContentScript(contextId, message)).toBe('forbidden');
    });

    it.each(badFromContentScripts)('refuses $type with $why', async (message) => {
      expect(await sendFromContentScript(contextId, message)).toBe('invalid');
    });

    it('leaves nothing behind: no job, no download, no history', async () => {
      expect(await traces()).toEqual(NO_TRACES);
    });
  });

  describe("from the page's own scripts", () => {
    it('cannot reach the extension by runtime messages: the page job request is only the content script’s, sent on a trusted click', async () => {
      const outcome = await page.evaluate(
        async ({ extensionId, url }) => {
          const runtime = (
            globalThis as { chrome?: { runtime?: { sendMessage?: (...args: unknown[]) => Promise<unknown> } } }
          ).chrome?.runtime;
          if (!runtime?.sendMessage) return 'no runtime messaging';
          try {
            return `replied ${JSON.stringify(await runtime.sendMessage(extensionId, { id: 1, type: 'page:extract-url', data: { url, pageTitle: 'x' }, timestamp: Date.now() }))}`;
          } catch {
            return 'refused';
          }
        },
        { extensionId: session.extensionId, url: `${site.url}/media/clip.mp4` },
      );
      expect(outcome).toMatch(/^(no runtime messaging|refused)$/);
    });

    it('posts junk and look-alike messages to the content script and to a bridge frame it loads: nothing starts, nothing throws', async () => {
      const result = await page.evaluate(
        async ({ bridgeUrl, grant, clipUrl }) => {
          const clip = new File([await (await fetch(clipUrl)).blob()], 'clip.mp4', { type: 'video/mp4' });
          const pageBlobUrl = URL.createObjectURL(clip);
          const envelope = (type: string, data: unknown) => ({ id: 1, type, data, timestamp: Date.now() });
          // The content script listens to no window messages; these are what its messages look like.
          for (const junk of [
            envelope('page:extract-url', { url: clipUrl, pageTitle: 'x' }),
            envelope('page:extract-video', { srcUrl: clipUrl }),
            envelope('bridge:start', {
              grant,
              files: [{ blobUrl: pageBlobUrl, fileName: 'clip.mp4', size: clip.size }],
            }),
            { grant, files: [clip] },
            new Array(200_000).fill({ grant }),
            'Extract MP3',
            null,
          ]) {
            window.postMessage(junk, '*');
          }

          const frame = document.createElement('iframe');
          frame.src = bridgeUrl;
          frame.style.cssText = 'width:1px;height:1px;border:0';
          const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
          document.body.append(frame);
          await loaded;
          const bridge = frame.contentWindow!;
          const replies: { label: string; reply: unknown }[] = [];
          const post = (label: string, message: unknown, targetOrigin = '*', withPort = true) => {
            const channel = new MessageChannel();
            const replied = new Promise((resolve) => (channel.port1.onmessage = (event) => resolve(event.data)));
            void replied.then((reply) => replies.push({ label, reply }));
            bridge.postMessage(message, targetOrigin, withPort ? [channel.port2] : []);
            return replied;
          };
          void post('no reply port', { grant, files: [clip] }, '*', false);
          void post('the page’s own origin as target', { grant, files: [clip] }, location.origin);
          void post('a short grant', { grant: 'short', files: [clip] });
          void post('no grant', { files: [clip] });
          void post('blob URLs of the page', { grant, files: [pageBlobUrl] });
          void post('the bridge:start shape', {
            grant,
            files: [{ blobUrl: pageBlobUrl, fileName: 'clip.mp4', size: clip.size }],
          });
          void post('101 files', { grant, files: new Array(101).fill(clip) });
          void post('a huge array', { grant, files: new Array(500_000).fill(0) });
          void post('a runtime envelope', envelope('bridge:start', { grant, files: [clip] }));
          void post('null', null);
          void post('text', 'Extract MP3');
          // Last: well-formed, with a grant the page made up. Its answer comes after every message above was looked at.
          const forged = await post('a forged grant', { grant, files: [clip] });
          frame.remove();
          return { forged, others: replies.filter((entry) => entry.label !== 'a forged grant') };
        },
        {
          bridgeUrl: `chrome-extension://${session.extensionId}/bridge.html`,
          grant: FORGED_GRANT,
          clipUrl: `${site.url}/media/clip.mp4`,
        },
      );
      expect(result.forged).toMatchObject({ ok: false });
      expect(result.others).toEqual([]);
      expect(await traces()).toEqual(NO_TRACES);
      expect(uncaught).toEqual([]);
      expect(
        await session.serviceWorker.evaluate(
          () => (globalThis as unknown as { uncaughtForTest?: string[] }).uncaughtForTest,
        ),
      ).toEqual([]);
    });

    it('cannot use a bridge frame it loads for anything but handing over files with a grant', async () => {
      await page.evaluate((bridgeUrl) => {
        const frame = document.createElement('iframe');
        frame.src = bridgeUrl;
        frame.id = 'bridge';
        document.body.append(frame);
      }, `chrome-extension://${session.extensionId}/bridge.html`);
      let bridge: Frame | undefined;
      await expect
        .poll(() => (bridge = page.frames().find((frame) => frame.url().endsWith('/bridge.html'))), { timeout: 10_000 })
        .toBeDefined();
      await bridge!.waitForLoadState();
      for (const message of forbiddenFromContentScripts.filter((candidate) => candidate.type !== 'bridge:start')) {
        if (message.type.startsWith('site:')) await offscreenListening();
        expect(await sendFrom(bridge!, message), message.type).toBe('forbidden');
      }
      const pageBlob = {
        grant: FORGED_GRANT,
        files: [{ blobUrl: `blob:${site.url}/0b6c`, fileName: 'clip.mp4', size: 1 }],
      };
      expect(await sendFrom(bridge!, { type: 'bridge:start', data: pageBlob, why: 'a page blob URL' })).toBe('invalid');
      const forged = {
        grant: FORGED_GRANT,
        files: [{ blobUrl: `blob:chrome-extension://${session.extensionId}/0b6c`, fileName: 'clip.mp4', size: 1 }],
      };
      expect(
        await bridge!.evaluate(sendExpression({ type: 'bridge:start', data: forged, why: 'a forged grant' })),
      ).toMatchObject({ res: { ok: false } });
      await page.evaluate(() => document.getElementById('bridge')?.remove());
      expect(await traces()).toEqual(NO_TRACES);
    });

    it('still converts with a person’s click on Extract MP3 afterwards', async () => {
      await extractButton(page).click();
      const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 90_000));
      expect(mp3).toMatchObject({ sampleRate: 48_000, channels: 2, bitrateKbps: 192 });
    });
  });

  it('leaves the extension working: the service worker answers and a good clip converts from the popup', async () => {
    expect(await session.serviceWorker.evaluate(() => chrome.runtime.id)).toBe(session.extensionId);
    expect(await sendFrom(popup, { type: 'jobs:cancel', data: { jobId: ID }, why: 'still answering' })).toBe(
      'accepted',
    );
    await chooseVideos(popup, ['vorbis-44k.webm']);
    const mp3 = await analyzeMp3(await session.waitForDownload('vorbis-44k.mp3', 90_000));
    expect(mp3.sampleRate).toBe(44_100);
    expect(uncaught).toEqual([]);
  });
});
