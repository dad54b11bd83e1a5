// The benchmark's Firefox rows: the same clip converted by the add-on in headless Firefox ESR, driven over
// WebDriver BiDi by the Firefox tests' helper, timed from choosing the file in the open popup to the MP3
// in the downloads folder, as the Chromium rows are.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIREFOX_EXTENSION, Firefox, type FirefoxTab } from '../../tests/firefox/helpers/firefox.ts';
import { type BenchRow, log, measure } from './common.ts';
import { memorySampler } from './extension.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const now = () => performance.timeOrigin + performance.now();

/** What the bench knows of a clip, as far as these rows read it. */
interface Clip {
  name: string;
  path: string;
  bytes: number;
  keepMp3?: boolean;
}

/** One timed conversion, in the shape of the bench's other runs. */
interface FirefoxRun {
  wallMs: number;
  firstProgressMs: number;
  shownMs?: number;
  convertingMs?: number;
  peakBytes: number;
  out: string;
}

interface FirefoxRowsOptions {
  runs: number;
  /** Where the MP3 of run `i` goes (`first` for the run in the fresh browser). */
  outPath: (kind: 'first' | 'warm', i: number) => string;
  /** Builds the add-on first (`wxt build -b firefox --mv3`), once per bench run. */
  build: boolean;
  /** The bench's own median over runs. */
  measure: (runs: number, once: (i: number) => Promise<FirefoxRun>) => Promise<FirefoxRun & { runs: number[] }>;
  /** The bench's own memory sampler over a process and its descendants. */
  memorySampler: (rootPid: number, pss: boolean) => { stop(): { peakExtraBytes: number } };
  pss: boolean;
}

/** When the popup first showed the job, said "Converting…", and moved a bar for the file above 0. */
interface Marks {
  shownAt: number | null;
  convertingAt: number | null;
  progressAt: number | null;
  error: string | null;
}

let built: Promise<void> | undefined;

function buildAddOn(): Promise<void> {
  return (built ??= new Promise((done, failed) => {
    const child = spawn('npx', ['wxt', 'build', '-b', 'firefox', '--mv3'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? done() : failed(new Error(`wxt build -b firefox exited with ${code}`))));
  }));
}

async function firefoxVersion(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.env.FIREFOX ?? 'firefox-esr', ['--version']).catch(() => ({
    stdout: 'Firefox',
  }));
  return stdout.trim().replace(/^Mozilla /, '');
}

/**
 * Watches the popup for the file's job, leaving what it saw on `window.__benchMarks`: the same marks as
 * the Chromium rows' (a bar for the file above 0 is the copy's, "Adding …", or the conversion's).
 */
function watchJob(name: string): void {
  const marks: Marks = { shownAt: null, convertingAt: null, progressAt: null, error: null };
  const page = window as Window & { __benchMarks?: Marks; __benchObserver?: MutationObserver };
  page.__benchMarks = marks;
  const bar = (label: string) => document.querySelector(`[role="progressbar"][aria-label="${CSS.escape(label)}"]`);
  const check = () => {
    const at = performance.timeOrigin + performance.now();
    const converting = bar(`Converting ${name}`);
    if (converting) marks.shownAt ??= at;
    if (converting?.getAttribute('aria-valuetext')?.startsWith('Converting')) marks.convertingAt ??= at;
    if ([bar(`Adding ${name}…`), converting].some((each) => Number(each?.getAttribute('aria-valuenow')) > 0)) {
      marks.progressAt ??= at;
    }
    marks.error ??= document.querySelector(`li[aria-label="${CSS.escape(name)}"] [role="alert"]`)?.textContent ?? null;
  };
  page.__benchObserver?.disconnect();
  page.__benchObserver = new MutationObserver(check);
  page.__benchObserver.observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  check();
}

const benchMarks = () => (window as Window & { __benchMarks?: Marks }).__benchMarks ?? null;

/** Waits for the MP3 Firefox saves (it writes a `.part` beside it until the download completes). */
async function waitForMp3(firefox: Firefox, popup: FirefoxTab, name: string, timeoutMs: number) {
  const path = join(firefox.downloads, name);
  let lastErrorCheck = now();
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(20)) {
    const files = await readdir(firefox.downloads);
    if (files.includes(name) && !files.some((file) => file.endsWith('.part')) && (await stat(path)).size > 0) {
      return { path, at: now() };
    }
    if (now() - lastErrorCheck > 1000) {
      lastErrorCheck = now();
      const error = (await popup.run(benchMarks))?.error;
      if (error) throw new Error(`the add-on reported: ${error}`);
    }
  }
  throw new Error(`no ${name} in Firefox's downloads folder after ${Math.round(timeoutMs / 1000)} s`);
}

async function convertOnce(firefox: Firefox, popup: FirefoxTab, clip: Clip, out: string, options: FirefoxRowsOptions) {
  const mp3Name = clip.name.replace(/\.[^.]+$/, '.mp3');
  await popup.run(watchJob, clip.name);
  const sampler = options.memorySampler(firefox.pid, options.pss);
  const started = now();
  try {
    await popup.setFiles('input[type=file]', [clip.path]);
    const done = await waitForMp3(firefox, popup, mp3Name, 120_000 + (clip.bytes / 1e6) * 500);
    const memory = sampler.stop();
    const marks = (await popup.run(benchMarks))!;
    await copyFile(done.path, out);
    // Frees the name, so the next run's MP3 isn't saved as "…(1).mp3".
    await rm(done.path, { force: true });
    // The next run starts from an idle add-on: its job list gone, its bookkeeping (history, IndexedDB) done.
    await popup.waitFor(
      'the job list to empty',
      () => !document.querySelector('section[aria-labelledby="jobs-heading"]'),
      [],
    );
    await sleep(1000);
    const since = (at: number | null) => (at ? at - started : Number.NaN);
    return {
      wallMs: done.at - started,
      shownMs: since(marks.shownAt),
      convertingMs: since(marks.convertingAt),
      firstProgressMs: since(marks.progressAt),
      peakBytes: memory.peakExtraBytes,
      out,
    };
  } finally {
    sampler.stop();
  }
}

/**
 * Converts `clip` in a freshly started Firefox (the first run) and then `runs` times more in the same
 * browser, and returns the two rows: `{ engine, ...measured }`.
 */
async function benchFirefox(clip: Clip, options: FirefoxRowsOptions) {
  if (options.build) await buildAddOn();
  if (!existsSync(join(FIREFOX_EXTENSION, 'manifest.json'))) throw new Error('no build in .output/firefox-mv3');
  const version = await firefoxVersion();
  const firefox = await Firefox.launch();
  try {
    const popup = await firefox.openExtensionPage('popup.html');
    if (clip.keepMp3) {
      await popup.run(async () => {
        const { settings } = await browser.storage.sync.get<{ settings?: object }>('settings');
        await browser.storage.sync.set({ settings: { ...settings, keepMp3Audio: true } });
      });
    }
    // A person takes a second or more to pick a file after opening the popup; the add-on warms up meanwhile.
    await sleep(1000);
    const first = await options.measure(1, () =>
      convertOnce(firefox, popup, clip, options.outPath('first', 0), options),
    );
    const warm = await options.measure(options.runs, (i) =>
      convertOnce(firefox, popup, clip, options.outPath('warm', i), options),
    );
    return [
      { engine: `${version}, first run`, ...first },
      { engine: `${version}, warm`, ...warm },
    ];
  } finally {
    await firefox.close();
  }
}

/** The Firefox rows (first run and warm) for each input, as `npm run bench -- --only firefox` lists them. */
export const firefoxRow: BenchRow = {
  key: 'firefox',
  async measure(input, { opts, outPath }) {
    log(`Firefox, ${input.label ?? input.name}…`);
    const rows = await benchFirefox(input, {
      ...opts,
      outPath: (kind, i) => outPath(`firefox-${kind}`, i),
      measure,
      memorySampler,
    });
    return rows.map((row) => ({ key: 'firefox', input, ...row }));
  },
};
