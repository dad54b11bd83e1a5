// Drives the system Firefox (Debian's firefox-esr, or FIREFOX=…) over WebDriver BiDi with the built
// add-on installed: used by the Firefox tests and by `npm run smoke:firefox`. No browser download.
// Node 20 needs --experimental-websocket for WebSocket (the vitest project and the npm script pass it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIREFOX_EXTENSION = fileURLToPath(new URL('../../../.output/firefox-mv3', import.meta.url));
/** A fixed moz-extension:// host, so the add-on's pages have known addresses. */
const UUID = '5eb7e0a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const ADDON_ID = 'video-to-mp3@nemovideo.ai';
const EXTENSION_ORIGIN = `moz-extension://${UUID}`;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A WebDriver BiDi reply, as far as this helper reads it (events, which have no id, are ignored). */
type BidiReply = { id: number; type: 'success'; result: unknown } | { id: number; type: 'error'; message: string };
interface BrowsingContextTree {
  contexts: { context: string; url: string }[];
}
/** A script result: a remote value, serialised (`value`) or held (`sharedId` for a node, `handle`). */
interface RemoteValue {
  type: string;
  value?: unknown;
  sharedId?: string;
}
type ScriptResult =
  { type: 'success'; result: RemoteValue } | { type: 'exception'; exceptionDetails: { text: string } };

/** Plain JSON-like values as BiDi serialises them back. */
function deserialize(remote: RemoteValue): unknown {
  const { type, value } = remote;
  if (type === 'array') return (value as RemoteValue[]).map(deserialize);
  if (type === 'object') {
    return Object.fromEntries(
      (value as [string | RemoteValue, RemoteValue][]).map(([key, entry]) => [
        typeof key === 'string' ? key : String(key.value),
        deserialize(entry),
      ]),
    );
  }
  if (type === 'undefined' || type === 'null') return type === 'null' ? null : undefined;
  if (type === 'number' && typeof value === 'string') return Number(value);
  return value;
}

export interface FirefoxOptions {
  /** More Firefox preferences (about:config) for the profile. */
  prefs?: Record<string, string | number | boolean>;
}

/** One tab (browsing context) of the running Firefox. */
export class FirefoxTab {
  constructor(
    private readonly firefox: Firefox,
    readonly context: string,
  ) {}

  /** Runs `fn` in the tab's page with JSON-serialisable `args`, awaiting its promise, and returns its JSON result. */
  async run<Result, Args extends unknown[] = []>(
    fn: (...args: Args) => Result,
    ...args: Args
  ): Promise<Awaited<Result>> {
    const result = await this.firefox.send<ScriptResult>('script.callFunction', {
      // tsx (the bench, the smoke script) wraps named inner functions in __name(), which the page lacks.
      functionDeclaration: `async (args) => { const __name = (named) => named; return JSON.stringify(await (${fn.toString()})(...JSON.parse(args)) ?? null); }`,
      arguments: [{ type: 'string', value: JSON.stringify(args) }],
      target: { context: this.context },
      awaitPromise: true,
    });
    if (result.type === 'exception') throw new Error(`In the page: ${result.exceptionDetails.text}`);
    return JSON.parse(deserialize(result.result) as string) as Awaited<Result>;
  }

  /** Polls `fn` in the page until it returns something truthy (returned), or throws after `timeoutMs`. */
  async waitFor<Result, Args extends unknown[] = []>(
    what: string,
    fn: (...args: Args) => Result,
    args: Args,
    timeoutMs = 30_000,
  ): Promise<Awaited<Result>> {
    const deadline = Date.now() + timeoutMs;
    let last: Awaited<Result> | undefined;
    while (Date.now() < deadline) {
      last = await this.run(fn, ...args).catch(() => undefined);
      if (last) return last;
      await sleep(200);
    }
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
  }

  /** The element `selector` matches (inside open shadow roots with `>>>`), as BiDi names it. */
  private async element(selector: string): Promise<{ sharedId: string }> {
    const found = await this.firefox.send<ScriptResult>('script.evaluate', {
      expression: `(${queryDeep.toString()})(${JSON.stringify(selector)})`,
      target: { context: this.context },
      awaitPromise: false,
      resultOwnership: 'root',
    });
    if (found.type === 'exception' || !found.result.sharedId) throw new Error(`No element matches ${selector}`);
    return { sharedId: found.result.sharedId };
  }

  /** Picks `paths` in the page's file input matched by `selector`. */
  async setFiles(selector: string, paths: string[]): Promise<void> {
    const element = await this.element(selector);
    await this.firefox.send('input.setFiles', { context: this.context, element, files: paths });
  }

  /** Clicks the middle of the element as a mouse does (a trusted click, unlike element.click()). */
  async click(selector: string): Promise<void> {
    const element = await this.element(selector);
    await this.firefox.send('input.performActions', {
      context: this.context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          actions: [
            { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element } },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    });
  }

  /** Clicks the element, then types `text` as key presses (`\uE007` is Enter, as in WebDriver). */
  async type(selector: string, text: string): Promise<void> {
    await this.click(selector);
    await this.firefox.send('input.performActions', {
      context: this.context,
      actions: [
        {
          type: 'key',
          id: 'keyboard',
          actions: [...text].flatMap((value) => [
            { type: 'keyDown', value },
            { type: 'keyUp', value },
          ]),
        },
      ],
    });
  }

  async navigate(url: string): Promise<void> {
    await this.firefox.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  async close(): Promise<void> {
    await this.firefox.send('browsingContext.close', { context: this.context }).catch(() => undefined);
  }
}

/** `a >>> b`: b inside a's open shadow root. */
function queryDeep(selector: string): Element | null {
  let scope: ParentNode = document;
  let found: Element | null = null;
  for (const part of selector.split('>>>')) {
    found = scope.querySelector(part.trim());
    if (!found) return null;
    scope = found.shadowRoot ?? found;
  }
  return found;
}

/** Firefox with the add-on installed, its own profile and downloads folder. */
export class Firefox {
  private lastId = 0;
  private readonly waiting = new Map<number, (reply: BidiReply) => void>();

  private constructor(
    private readonly process: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
    readonly downloads: string,
  ) {
    socket.onmessage = ({ data }: MessageEvent<string>) => {
      const message = JSON.parse(data) as BidiReply;
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    };
  }

  /** The browser's main process, whose descendants are its content processes. */
  get pid(): number {
    return this.process.pid!;
  }

  static async launch(options: FirefoxOptions = {}): Promise<Firefox> {
    if (!existsSync(join(FIREFOX_EXTENSION, 'manifest.json'))) {
      throw new Error('No Firefox build in .output/firefox-mv3. Run `npm run build:firefox` first.');
    }
    const profile = mkdtempSync(join(tmpdir(), 'firefox-profile-'));
    const downloads = mkdtempSync(join(tmpdir(), 'firefox-mp3s-'));
    const prefs = {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.shell.checkDefaultBrowser': false,
      ...options.prefs,
    };
    writeFileSync(
      join(profile, 'user.js'),
      Object.entries(prefs)
        .map(([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});`)
        .join('\n'),
    );
    // System access lets the helper open extension pages in a tab, which BiDi navigation refuses.
    const child = spawn(process.env.FIREFOX ?? 'firefox-esr', [
      '-headless',
      '--no-remote',
      '--profile',
      profile,
      '--remote-debugging-port',
      '0',
      '-remote-allow-system-access',
    ]);
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    let url: string | undefined;
    for (const deadline = Date.now() + 30_000; !url && Date.now() < deadline; await sleep(100)) {
      url = output.match(/WebDriver BiDi listening on (ws:\/\/\S+)/)?.[1];
    }
    if (!url) {
      child.kill();
      throw new Error(`Firefox did not start:\n${output}`);
    }
    const socket = new WebSocket(`${url}/session`);
    await new Promise((opened, failed) => ((socket.onopen = opened), (socket.onerror = failed)));
    const firefox = new Firefox(child, socket, profile, downloads);
    await firefox.send('session.new', { capabilities: {} });
    await firefox.send('webExtension.install', { extensionData: { type: 'path', path: FIREFOX_EXTENSION } });
    return firefox;
  }

  send<Result>(method: string, params: object = {}): Promise<Result> {
    const id = ++this.lastId;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) =>
      this.waiting.set(id, (reply) =>
        reply.type === 'error' ? reject(new Error(`${method}: ${reply.message}`)) : resolve(reply.result as Result),
      ),
    );
  }

  /** Opens a web page in a new tab. */
  async openPage(url: string): Promise<FirefoxTab> {
    const { context } = await this.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    const tab = new FirefoxTab(this, context);
    await tab.navigate(url);
    return tab;
  }

  /**
   * Opens one of the add-on's pages (`popup.html`, …) in a new tab, once its document has loaded. A tab
   * opened while the add-on is (re)loading stays blank, so it tries again until `timeoutMs`.
   */
  async openExtensionPage(path: string, timeoutMs = 30_000): Promise<FirefoxTab> {
    const url = `${EXTENSION_ORIGIN}/${path}`;
    const chrome = await this.send<BrowsingContextTree>('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const [browserWindow] = chrome.contexts;
    if (!browserWindow) throw new Error('Firefox has no browser window.');
    const contexts = async () => (await this.send<BrowsingContextTree>('browsingContext.getTree', {})).contexts;
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      const before = new Set((await contexts()).map((context) => context.context));
      await this.send('script.evaluate', {
        target: { context: browserWindow.context },
        expression: `gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); 0`,
        awaitPromise: false,
      });
      for (const tryUntil = Math.min(deadline, Date.now() + 5_000); Date.now() < tryUntil; await sleep(100)) {
        const opened = (await contexts()).find((context) => context.url === url && !before.has(context.context));
        if (!opened) continue;
        const tab = new FirefoxTab(this, opened.context);
        const loaded = () => document.readyState === 'complete' && document.body.childElementCount > 0;
        if (await tab.waitFor('the page to load', loaded, [], 10_000).catch(() => false)) return tab;
      }
    }
    throw new Error(`${url} did not open.`);
  }

  /** Where the add-on's background page is: "running", "suspending", "stopped", … (Firefox's own word). */
  async backgroundState(): Promise<string> {
    const chrome = await this.send<BrowsingContextTree>('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const reply = await this.send<ScriptResult>('script.evaluate', {
      target: { context: chrome.contexts[0]!.context },
      expression: `String(WebExtensionPolicy.getByID(${JSON.stringify(ADDON_ID)})?.extension?.backgroundState)`,
      awaitPromise: false,
    });
    if (reply.type === 'exception') throw new Error(`backgroundState: ${reply.exceptionDetails.text}`);
    return String(reply.result.value);
  }

  /** Waits until the tab has gone (an extension page closes when its add-on reloads). */
  async waitForExtensionPageGone(tab: FirefoxTab, timeoutMs = 15_000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
      const { contexts } = await this.send<BrowsingContextTree>('browsingContext.getTree', {});
      if (!contexts.some((context) => context.context === tab.context)) return;
    }
    throw new Error('The extension page stayed open.');
  }

  /** Waits until the downloads folder holds `fileName`, complete (no .part file beside it, its size settled). */
  async waitForDownload(fileName: string, timeoutMs = 60_000): Promise<string> {
    const path = join(this.downloads, fileName);
    let lastSize = -1;
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
      const size = existsSync(path) ? statSync(path).size : -1;
      const partial = readdirSync(this.downloads).some((name) => name.endsWith('.part'));
      if (size > 0 && size === lastSize && !partial) return path;
      lastSize = size;
    }
    throw new Error(
      `download ${fileName} did not complete in ${timeoutMs} ms; the folder holds: ${readdirSync(this.downloads).join(', ') || 'nothing'}`,
    );
  }

  downloaded(): string[] {
    return readdirSync(this.downloads).filter((name) => !name.endsWith('.part'));
  }

  async close(): Promise<void> {
    this.socket.close();
    const exited = new Promise((done) => this.process.once('exit', done));
    this.process.kill();
    await Promise.race([exited, sleep(5000)]);
    rmSync(this.profile, { recursive: true, force: true });
    rmSync(this.downloads, { recursive: true, force: true });
  }

  /** Like close, but leaves the downloads folder (the smoke script reports it). */
  async quit(): Promise<void> {
    this.socket.close();
    const exited = new Promise((done) => this.process.once('exit', done));
    this.process.kill();
    await Promise.race([exited, sleep(5000)]);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
