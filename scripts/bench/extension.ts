// The extension itself, built and loaded in Chromium: the file chosen in an already open popup,
// timed until the finished MP3 is in the downloads folder.
import { chromiumArgs } from '../../tests/e2e/helpers/browser.ts';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, BrowserType, Page } from 'playwright-core';
import { traceCpu } from './trace.ts';
import {
  type BenchInput,
  type BenchRow,
  type MemoryReport,
  type ProcessGrowth,
  type Row,
  ROOT,
  cleanups,
  fail,
  fmt,
  log,
  mb,
  measuredRow,
  now,
  sleep,
  spawnChecked,
  tempDirs,
} from './common.ts';

const EXTENSION_DIR = join(ROOT, '.output', 'chrome-mv3');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
/** How often the downloads folder is looked at: finely enough that the poll adds no time worth noting. */
const POLL_MS = 10;

export interface BrowserSession {
  context: BrowserContext;
  popup: Page;
  downloadsDir: string;
  browserPid: number;
  close: () => Promise<void>;
}

/** What the popup records about the job it watches (times from performance.timeOrigin). */
interface PopupMarks {
  /** When each bar's label and activity ("Converting clip.mp4: Saving…") first showed, and when "Adding" went. */
  phases: Record<string, number>;
  shownAt: number | null;
  convertingAt: number | null;
  progressAt: number | null;
  error: string | null;
}

/** The popup's window, with what watchJobInPopup leaves on it. */
type BenchWindow = Window & { __benchMarks?: PopupMarks; __benchObserver?: MutationObserver };

/** ppid of every process, from one pass over /proc. */
function processParents() {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after the last ')' don't.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // Exited while we looked.
    }
  }
  return parents;
}

function descendantsOf(root: number) {
  const parents = processParents();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree].filter((pid) => parents.has(pid));
}

/** VmRSS, or with `pss` the PSS from smaps_rollup (shared pages split between their users, but ~20 ms per sweep of the tree). */
function processMemory(pid: number, pss: boolean) {
  try {
    const m = pss
      ? /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      : /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // Exited while we looked.
  }
}

/**
 * Samples the summed memory of the browser's process tree every `intervalMs`. The tree is
 * re-listed every few samples, since Chromium starts processes (the offscreen document) mid-job.
 */
export function memorySampler(rootPid: number, pss: boolean, intervalMs = 50) {
  let pids = descendantsOf(rootPid);
  const measureEach = () => new Map(pids.map((pid) => [pid, processMemory(pid, pss)]));
  const total = (each: Map<number, number>) => [...each.values()].reduce((sum, bytes) => sum + bytes, 0);
  const baselineEach = measureEach();
  const baseline = total(baselineEach);
  let peak = baseline;
  let peakEach = baselineEach;
  let samples = 0;
  let sampleCostMs = 0;
  let timer: NodeJS.Timeout;
  const sample = () => {
    const each = measureEach();
    if (total(each) > peak) {
      peak = total(each);
      peakEach = each;
    }
  };
  const tick = () => {
    const t = performance.now();
    if (samples % 5 === 0) pids = descendantsOf(rootPid);
    sample();
    samples++;
    sampleCostMs += performance.now() - t;
    timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  let result: MemoryReport | undefined;
  return {
    stop(): MemoryReport {
      if (result) return result;
      clearTimeout(timer);
      sample();
      const growth = [...peakEach]
        .map(([pid, bytes]) => ({
          process: processKind(pid),
          bytes: bytes - (baselineEach.get(pid) ?? 0),
          started: !baselineEach.has(pid),
        }))
        .filter((entry) => Math.abs(entry.bytes) >= 1024 * 1024)
        .sort((a, b) => b.bytes - a.bytes);
      return (result = {
        baselineBytes: baseline,
        peakExtraBytes: peak - baseline,
        samples,
        meanSampleMs: samples ? sampleCostMs / samples : 0,
        kind: pss ? 'PSS' : 'RSS',
        processes: pids.length,
        growth,
      });
    },
  };
}

function growthByProcess(growth: ProcessGrowth[] = []) {
  return (
    growth
      .map(
        (entry) =>
          `${entry.process}${entry.started ? ' (started)' : ''} ${entry.bytes >= 0 ? '+' : ''}${fmt(mb(entry.bytes), 0)} MB`,
      )
      .join(', ') || 'none over 1 MB'
  );
}

/** "renderer", "utility (audio.mojom.AudioService)", … from a Chromium process's command line. */
function processKind(pid: number) {
  try {
    // Chromium rewrites its process title: the arguments may come back joined by spaces.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length) ?? 'browser';
    const subType = args.find((arg) => arg.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
    return subType ? `${type} (${subType})` : type;
  } catch {
    return 'exited';
  }
}

function directChildren(pid: number) {
  const children = new Set<number>();
  for (const [child, parent] of processParents()) if (parent === pid) children.add(child);
  return children;
}

export async function launchBrowser(chromium: BrowserType): Promise<BrowserSession> {
  const tempRoot = await mkdtemp(join(tmpdir(), 'video-to-mp3-bench-'));
  tempDirs.add(tempRoot);
  const downloadsDir = join(tempRoot, 'downloads');
  const profile = join(tempRoot, 'profile');
  await mkdir(downloadsDir, { recursive: true });
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({
      download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true },
      savefile: { default_directory: downloadsDir },
    }),
  );
  const before = directChildren(process.pid);
  // Our own signal handlers close the browser and then delete its profile; Playwright's would exit first.
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: false,
      args: chromiumArgs(EXTENSION_DIR),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    })
    .catch(async (err: unknown) => {
      await rm(tempRoot, { recursive: true, force: true });
      throw new Error(`could not launch ${CHROMIUM} with the extension: ${String(err)}`);
    });
  const close = async () => {
    await context.close().catch(() => undefined);
    await rm(tempRoot, { recursive: true, force: true });
    tempDirs.delete(tempRoot);
  };
  cleanups.add(close);
  const browserPid = [...directChildren(process.pid)].find((pid) => !before.has(pid));
  if (!browserPid) throw new Error('could not find the Chromium process this launch started');

  const cdpPage = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(cdpPage);
  // Playwright saves downloads under GUID names in its own folder; "default" hands them back to the profile's downloads folder.
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const isOurs = (w: { url(): string }) => w.url().startsWith('chrome-extension://');
  const worker =
    context.serviceWorkers().find(isOurs) ??
    (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  // A person takes a second or more to pick a file after opening the popup; the extension warms up meanwhile.
  await sleep(1000);
  return { context, popup, downloadsDir, browserPid, close };
}

/**
 * Records, in the popup, when the job's row appears, when it says "Converting…" and when a bar for
 * the file first goes above 0: the copy's ("Adding …", for files over one stored part) or the job's.
 */
async function watchJobInPopup(popup: Page, fileName: string) {
  // tsx keeps function names by wrapping named functions in __name(), which the page doesn't have.
  await popup.evaluate('globalThis.__name ??= (fn) => fn');
  return popup.evaluate((name) => {
    const page = window as BenchWindow;
    const marks: PopupMarks = { phases: {}, shownAt: null, convertingAt: null, progressAt: null, error: null };
    page.__benchMarks = marks;
    const check = () => {
      const at = performance.timeOrigin + performance.now();
      const adding = document.querySelector(`[role="progressbar"][aria-label="Adding ${CSS.escape(name)}…"]`);
      if (Number(adding?.getAttribute('aria-valuenow')) > 0) marks.progressAt ??= at;
      const bar = document.querySelector(`[role="progressbar"][aria-label="Converting ${CSS.escape(name)}"]`);
      if (bar) {
        marks.shownAt ??= at;
        if ((bar.getAttribute('aria-valuetext') ?? '').startsWith('Converting')) marks.convertingAt ??= at;
        if (Number(bar.getAttribute('aria-valuenow')) > 0) marks.progressAt ??= at;
      }
      for (const any of document.querySelectorAll('[role="progressbar"]')) {
        const activity = (any.getAttribute('aria-valuetext') ?? '').replace(/\s*\d+%$/, '');
        const done = any.getAttribute('aria-valuenow') === '100' ? ' 100%' : '';
        marks.phases[`${any.getAttribute('aria-label')}: ${activity}${done}`] ??= at;
      }
      if (adding) marks.phases.adding ??= at;
      else if (marks.phases.adding) marks.phases['adding gone'] ??= at;
      const alert = document.querySelector(`li[aria-label="${CSS.escape(name)}"] [role="alert"]`);
      if (alert && !marks.error) marks.error = alert.textContent;
    };
    page.__benchObserver?.disconnect();
    page.__benchObserver = new MutationObserver(check);
    const watched = { subtree: true, childList: true, attributes: true, characterData: true };
    page.__benchObserver.observe(document.body, watched);
    check();
  }, fileName);
}

async function waitForNewMp3(session: BrowserSession, known: Set<string>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastErrorCheck = 0;
  while (Date.now() < deadline) {
    const names = await readdir(session.downloadsDir);
    const partial = names.some((n) => n.endsWith('.crdownload'));
    const mp3 = names.find((n) => n.endsWith('.mp3') && !known.has(n));
    if (mp3 && !partial && (await stat(join(session.downloadsDir, mp3))).size > 0) return { name: mp3, at: now() };
    if (Date.now() - lastErrorCheck > 1000) {
      lastErrorCheck = Date.now();
      const error = await session.popup.evaluate(() => (window as BenchWindow).__benchMarks?.error ?? null);
      if (error) throw new Error(`the extension reported: ${error}`);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`no MP3 in the downloads folder after ${Math.round(timeoutMs / 1000)} s`);
}

/** Waits until the popup no longer lists the job, so the next run starts from an idle extension. */
export async function waitForIdle(popup: Page, fileName: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const busy = await popup.evaluate(
      (name) => !!document.querySelector(`[role="progressbar"][aria-label="Converting ${CSS.escape(name)}"]`),
      fileName,
    );
    if (!busy) break;
    await sleep(100);
  }
  // Lets the extension finish its bookkeeping (history, IndexedDB) before the next run is timed.
  await sleep(1000);
}

/** Turns on "Keep MP3 sound as it is", as the options page would. */
async function keepMp3Sound(context: BrowserContext) {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('no extension service worker to change the settings with');
  await worker.evaluate(async () => {
    const { settings } = await chrome.storage.sync.get('settings');
    await chrome.storage.sync.set({ settings: { ...(settings as object | undefined), keepMp3Audio: true } });
  });
}

/** How a run starts its job: by default the input file chosen in the popup, its job named after the file. */
export interface JobStart {
  jobName: string;
  start: (popup: Page) => Promise<void>;
}

export async function runExtensionOnce(
  session: BrowserSession,
  input: BenchInput,
  out: string,
  pss: boolean,
  how: JobStart = {
    jobName: input.name,
    start: (popup) => popup.getByLabel('Choose video').setInputFiles(input.path),
  },
) {
  const known = new Set(await readdir(session.downloadsDir));
  await watchJobInPopup(session.popup, how.jobName);
  const sampler = memorySampler(session.browserPid, pss);
  const started = now();
  try {
    await how.start(session.popup);
    const timeoutMs = 120_000 + (input.bytes / 1e6) * 500;
    const done = await waitForNewMp3(session, known, timeoutMs);
    const memory = sampler.stop();
    const marks = (await session.popup.evaluate(() => (window as BenchWindow).__benchMarks)) as PopupMarks;
    await copyFile(join(session.downloadsDir, done.name), out);
    // Frees the name, so the next run's MP3 isn't saved as "… (1).mp3".
    await rm(join(session.downloadsDir, done.name), { force: true });
    const since = (at: number | null) => (at ? at - started : Number.NaN);
    return {
      out,
      wallMs: done.at - started,
      firstProgressMs: since(marks.progressAt),
      peakBytes: memory.peakExtraBytes,
      memory,
      note: `phases ${Object.entries(marks.phases)
        .map(([phase, at]) => `${phase} ${fmt(since(at))} ms`)
        .join(
          ', ',
        )}; job shown ${fmt(since(marks.shownAt))} ms, "Converting…" ${fmt(since(marks.convertingAt))} ms; memory as ${memory.kind} over ${memory.processes} processes, baseline ${fmt(mb(memory.baselineBytes))} MB, ${memory.samples} samples of ${memory.meanSampleMs.toFixed(1)} ms; growth at the peak by process: ${growthByProcess(memory.growth)}`,
    };
  } finally {
    sampler.stop();
  }
}

/** One run under a Chrome trace, with each thread's CPU time added to its note. */
async function tracedRun<T extends { note: string }>(popup: Page, once: () => Promise<T>) {
  const { result, threads } = await traceCpu(popup, once);
  result.note += `; CPU by thread (trace): ${threads.map((t) => `${t.thread} ${fmt(t.cpuMs)} ms`).join(', ')}`;
  return result;
}

export const extensionRow: BenchRow = {
  key: 'extension',
  missing: async () => (existsSync(CHROMIUM) ? [] : [`${CHROMIUM} (set CHROME_PATH)`]),
  async setUp(opts) {
    if (opts.build) {
      log('building the extension (wxt build)…');
      await spawnChecked('npx', ['wxt', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    }
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json')))
      fail('no build in .output/chrome-mv3; run without --no-build');
  },
  async measure(input, { opts, outPath }) {
    const { chromium } = await import('playwright-core');
    log(`extension, ${input.label}: launching Chromium…`);
    const session = await launchBrowser(chromium);
    const rows: Row[] = [];
    const prefix = input.keepMp3 ? 'extension, Keep MP3 sound as it is' : 'extension';
    try {
      if (input.keepMp3) await keepMp3Sound(session.context);
      log('extension: first run in the fresh browser…');
      const firstIdentity = { key: 'extension', engine: `${prefix}, first run`, input };
      rows.push(
        await measuredRow(firstIdentity, 1, () =>
          runExtensionOnce(session, input, outPath('extension-first', 0), opts.pss),
        ),
      );
      await waitForIdle(session.popup, input.name);
      log(`extension: ${opts.runs} warm run(s)…`);
      const warmIdentity = { key: 'extension', engine: `${prefix}, warm`, input };
      rows.push(
        await measuredRow(warmIdentity, opts.runs, async (i) => {
          const once = () => runExtensionOnce(session, input, outPath('extension-warm', i), opts.pss);
          const traced = opts.trace && i === opts.runs - 1;
          const x = traced ? await tracedRun(session.popup, once) : await once();
          await waitForIdle(session.popup, input.name);
          return x;
        }),
      );
    } finally {
      cleanups.delete(session.close);
      await session.close();
    }
    return rows;
  },
};
