import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const BUILT_EXTENSION = join(REPO_ROOT, '.output', 'chrome-mv3');
const CHROMIUM = '/usr/bin/chromium';

export interface LaunchOptions {
  /** UI locale, e.g. "de" or "pt-BR"; drives chrome.i18n and navigator.language. */
  lang?: string;
  /** Unpacked extension to load; defaults to the WXT build in .output/chrome-mv3. */
  extensionPath?: string;
  /**
   * An existing folder to put the Chromium profile in (a small disk, say), instead of next to the
   * downloads folder; the profile is made in a new folder inside it and removed on close().
   */
  profileParent?: string;
  /** More Chromium switches (a proxy that records every request, say). */
  extraArgs?: string[];
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  downloadsDir: string;
  /** The extension's service worker; re-read after stopServiceWorker(), Chromium starts a new one on demand. */
  readonly serviceWorker: Worker;
  /** CDP session on the context's first (about:blank) page, which must stay open; it also accepts Browser.* commands. */
  cdp: CDPSession;
  openPopup(): Promise<Page>;
  waitForDownload(fileName: string, timeoutMs?: number): Promise<string>;
  stopServiceWorker(): Promise<void>;
  /** Quits the browser and starts it again on the same profile and downloads folder, as a user would. */
  restart(): Promise<ExtensionSession>;
  close(): Promise<void>;
}

export function isExtensionBuilt(extensionPath = BUILT_EXTENSION): boolean {
  return existsSync(join(extensionPath, 'manifest.json'));
}

async function writePreferences(userDataDir: string, downloadsDir: string, lang: string | undefined): Promise<void> {
  const prefs = {
    download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true },
    savefile: { default_directory: downloadsDir },
    ...(lang ? { intl: { accept_languages: lang, selected_languages: lang } } : {}),
  };
  await mkdir(join(userDataDir, 'Default'), { recursive: true });
  await writeFile(join(userDataDir, 'Default', 'Preferences'), JSON.stringify(prefs));
}

/** How the tests and the benchmark start Chromium with the extension. */
export function chromiumArgs(extensionPath: string, lang?: string): string[] {
  return [
    '--headless=new',
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(lang ? [`--lang=${lang}`] : []),
  ];
}

/** Linux Chromium takes its UI locale (chrome.i18n) from LANGUAGE, not --lang, and only if that locale's .pak is installed. */
function localeEnv(lang: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return lang ? { ...env, LANGUAGE: lang.replace('-', '_') } : env;
}

async function findServiceWorker(context: BrowserContext, timeoutMs: number): Promise<Worker> {
  const isExtensionWorker = (w: Worker): boolean => w.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExtensionWorker);
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout: timeoutMs });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

async function hasPartialDownload(dir: string, fileName: string): Promise<boolean> {
  const names = await readdir(dir);
  return names.some(
    (n) => n.endsWith('.crdownload') && (n === `${fileName}.crdownload` || n.startsWith('Unconfirmed ')),
  );
}

/** Polls until the file exists, has no .crdownload partner and its size held still for a few polls. */
async function waitForFile(dir: string, fileName: string, timeoutMs = 60_000): Promise<string> {
  const path = join(dir, fileName);
  const deadline = Date.now() + timeoutMs;
  let lastSize: number | undefined;
  let stablePolls = 0;
  while (Date.now() < deadline) {
    const size = await fileSize(path);
    const partial = await hasPartialDownload(dir, fileName);
    stablePolls = size !== undefined && size === lastSize && !partial ? stablePolls + 1 : 0;
    if (stablePolls >= 3) return path;
    lastSize = size;
    await sleep(100);
  }
  const present = await readdir(dir).catch(() => []);
  throw new Error(
    `download ${fileName} did not complete in ${timeoutMs} ms; ${dir} holds: ${present.join(', ') || '(nothing)'}`,
  );
}

/**
 * Playwright makes downloads land as GUID-named files in its own folder; "default" hands control
 * back to the profile preferences, so files keep their names and go to downloadsDir.
 */
async function restoreDefaultDownloads(cdp: CDPSession): Promise<void> {
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
}

export async function launchExtension(opts: LaunchOptions = {}): Promise<ExtensionSession> {
  const extensionPath = resolve(opts.extensionPath ?? BUILT_EXTENSION);
  if (!isExtensionBuilt(extensionPath))
    throw new Error(`no manifest.json in ${extensionPath}; run \`npm run build\` first`);
  const tempRoot = await mkdtemp(join(tmpdir(), 'video-to-mp3-e2e-'));
  const downloadsDir = join(tempRoot, 'downloads');
  await mkdir(downloadsDir, { recursive: true });
  const folders: SessionFolders = { tempRoot, downloadsDir, profileDir: join(tempRoot, 'profile') };
  try {
    if (opts.profileParent) folders.profileDir = await mkdtemp(join(opts.profileParent, 'profile-'));
    await writePreferences(folders.profileDir, downloadsDir, opts.lang);
    return await launchOnProfile(extensionPath, folders, opts);
  } catch (err) {
    await removeFolders(folders);
    throw err;
  }
}

/** Where a session keeps its files: the profile may live elsewhere than the temporary root. */
interface SessionFolders {
  tempRoot: string;
  downloadsDir: string;
  profileDir: string;
}

async function removeFolders({ tempRoot, profileDir }: SessionFolders): Promise<void> {
  await rm(profileDir, { recursive: true, force: true });
  await rm(tempRoot, { recursive: true, force: true });
}

async function launchOnProfile(
  extensionPath: string,
  folders: SessionFolders,
  opts: LaunchOptions,
): Promise<ExtensionSession> {
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(folders.profileDir, {
      executablePath: CHROMIUM,
      headless: false,
      args: [...chromiumArgs(extensionPath, opts.lang), ...(opts.extraArgs ?? [])],
      env: localeEnv(opts.lang),
      ...(opts.lang ? { locale: opts.lang } : {}),
    });
    const relaunch = () => launchOnProfile(extensionPath, folders, opts);
    return await attach(context, folders, relaunch);
  } catch (err) {
    await context?.close().catch(() => undefined);
    throw err;
  }
}

type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

interface WorkerStatuses {
  current(): RunningStatus[];
  /** How many times a version of the extension's worker has been seen stopped. */
  stops(): number;
}

/** Tracks the extension's service worker versions so stopServiceWorker() can wait for a real stop. */
async function watchWorkerStatus(cdp: CDPSession, extensionId: string): Promise<WorkerStatuses> {
  const statuses = new Map<string, RunningStatus>();
  let stops = 0;
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (!v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) continue;
      if (v.runningStatus === 'stopped' && statuses.get(v.versionId) !== 'stopped') stops++;
      statuses.set(v.versionId, v.runningStatus);
    }
  });
  await cdp.send('ServiceWorker.enable');
  return { current: () => [...statuses.values()], stops: () => stops };
}

/**
 * Stops the worker and waits until it was seen stopped. A message from a running job may start it
 * again at once, as it would in Chrome, so "stopped" need not be its status by the time we look.
 */
async function stopWorkers(cdp: CDPSession, statuses: WorkerStatuses, timeoutMs = 10_000): Promise<void> {
  const stopsBefore = statuses.stops();
  await cdp.send('ServiceWorker.stopAllWorkers');
  const deadline = Date.now() + timeoutMs;
  while (statuses.stops() === stopsBefore) {
    if (Date.now() > deadline)
      throw new Error(`service worker did not stop within ${timeoutMs} ms: ${statuses.current().join(', ')}`);
    await sleep(50);
  }
}

async function attach(
  context: BrowserContext,
  folders: SessionFolders,
  relaunch: () => Promise<ExtensionSession>,
): Promise<ExtensionSession> {
  const cdpPage = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(cdpPage);
  await restoreDefaultDownloads(cdp);
  let worker = await findServiceWorker(context, 30_000);
  const extensionId = new URL(worker.url()).host;
  context.on('serviceworker', (w) => {
    if (w.url().startsWith(`chrome-extension://${extensionId}/`)) worker = w;
  });
  const workerStatuses = await watchWorkerStatus(cdp, extensionId);

  return {
    context,
    extensionId,
    downloadsDir: folders.downloadsDir,
    get serviceWorker() {
      return worker;
    },
    cdp,
    async openPopup() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      return page;
    },
    waitForDownload: (fileName, timeoutMs) => waitForFile(folders.downloadsDir, fileName, timeoutMs),
    stopServiceWorker: () => stopWorkers(cdp, workerStatuses),
    async restart() {
      await context.close();
      return relaunch();
    },
    async close() {
      await context.close().catch(() => undefined);
      await removeFolders(folders);
    },
  };
}
