import { basename } from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionSession } from './browser';
import { analyzeMp3, type Mp3Analysis } from './mp3';
import { jobRow } from './popup';

/** `stuck`: never got to run, because the queue stopped moving (behind a hung job, say). */
type Outcome = 'converted' | 'alert' | 'bad-mp3' | 'hung' | 'stuck' | 'crashed';

export interface FileOutcome {
  name: string;
  outcome: Outcome;
  /** From the job leaving the queue (or the batch starting) to its end. */
  seconds: number;
  /** The alert's words, what went wrong with the MP3, or where a hung job stood. */
  detail?: string;
  mp3?: Mp3Analysis;
}

interface StoredJob {
  sourceName: string;
  state: string;
  progress: number;
  error?: string;
}

interface Stored {
  jobs: StoredJob[];
  /** Completed downloads: source name → MP3 file name. */
  converted: Map<string, string>;
}

const RUNNING = ['reading', 'converting', 'saving'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jobs and Completed downloads as the background keeps them. */
export async function readStored(session: ExtensionSession): Promise<Stored> {
  const { jobs, history } = await session.serviceWorker.evaluate(() => chrome.storage.local.get(['jobs', 'history']));
  const entries = (history ?? []) as { sourceName: string; fileName: string }[];
  return {
    jobs: Object.values((jobs ?? {}) as Record<string, StoredJob>),
    converted: new Map(entries.map((entry) => [entry.sourceName, entry.fileName])),
  };
}

/**
 * Chooses all `paths` at once in the popup and follows each file until it is in Completed downloads
 * (its MP3 must then decode) or failed with an alert. A file still running `boundMs` after it left
 * the queue is cancelled, as a person would, and counted as hung; when nothing at all moves for
 * longer than that, the files left are stuck; if the browser stops answering, they count as crashed.
 */
export async function runBatch(
  session: ExtensionSession,
  popup: Page,
  paths: string[],
  boundMs: number,
): Promise<FileOutcome[]> {
  const names = paths.map((path) => basename(path));
  const batchStart = Date.now();
  const startedAt = new Map<string, number>();
  const results = new Map<string, FileOutcome>();
  let lastState = '';
  let lastChange = batchStart;
  await popup.getByLabel('Choose video').setInputFiles(paths);
  while (results.size < names.length) {
    const stored = await Promise.race([
      readStored(session),
      sleep(30_000).then(() => Promise.reject(new Error('the background did not answer in 30 s'))),
    ]).catch((error: unknown) => error as Error);
    const now = Date.now();
    const state =
      stored instanceof Error
        ? ''
        : JSON.stringify([stored.jobs.map((job) => [job.sourceName, job.state, job.progress]), stored.converted.size]);
    if (state !== lastState) [lastState, lastChange] = [state, now];
    const stalled = now - lastChange > boundMs + 30_000;
    for (const name of names) {
      if (results.has(name)) continue;
      const seconds = (now - (startedAt.get(name) ?? batchStart)) / 1000;
      if (stored instanceof Error) {
        results.set(name, { name, outcome: 'crashed', seconds, detail: stored.message.slice(0, 300) });
        continue;
      }
      const job = stored.jobs.find((candidate) => candidate.sourceName === name);
      const mp3 = stored.converted.get(name);
      if (mp3 !== undefined) results.set(name, await checkMp3(session, name, mp3, seconds));
      else if (job?.state === 'failed' || job?.state === 'interrupted')
        results.set(name, { name, outcome: 'alert', seconds, detail: job.error });
      else if (stalled)
        results.set(name, {
          name,
          outcome: 'stuck',
          seconds,
          detail: `${job?.state ?? 'not listed'} when the queue stopped moving`,
        });
      else if (job?.state === 'queued' || job === undefined) startedAt.set(name, now);
      else if (RUNNING.includes(job.state) && seconds * 1000 > boundMs) {
        await jobRow(popup, name)
          .getByRole('button', { name: 'Cancel' })
          .click({ timeout: 10_000 })
          .catch(() => undefined);
        results.set(name, {
          name,
          outcome: 'hung',
          seconds,
          detail: `${job.state} at ${Math.round(job.progress * 100)}%`,
        });
      }
    }
    await sleep(250);
  }
  return names.map((name) => results.get(name)!);
}

async function checkMp3(session: ExtensionSession, name: string, mp3: string, seconds: number): Promise<FileOutcome> {
  try {
    const analysis = await analyzeMp3(await session.waitForDownload(mp3, 30_000));
    if (!(analysis.durationSeconds > 0)) throw new Error('no audio decoded');
    return { name, outcome: 'converted', seconds, detail: `${analysis.durationSeconds.toFixed(2)} s`, mp3: analysis };
  } catch (error) {
    return {
      name,
      outcome: 'bad-mp3',
      seconds,
      detail: String(error instanceof Error ? error.message : error).slice(0, 300),
    };
  }
}

/** The popup's alert for a file, or undefined when it shows none (or the popup doesn't answer). */
export function alertText(popup: Page, name: string): Promise<string | undefined> {
  return jobRow(popup, name)
    .getByRole('alert')
    .innerText({ timeout: 5_000 })
    .catch(() => undefined);
}
