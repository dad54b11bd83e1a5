import { baseName } from '../../file-names';
import { currentLimits } from '../../limits-override';
import { isActive, isRunning, type Job } from '../job';
import { readJobs, transition } from '../job-store';
import { conversionSite } from '../conversion-site';
import { runCloud } from './cloud-hand-off';
import { fail } from './failing';
import { closeWhenIdle } from './idle-close';
import { pump } from './pump';
import { dropPageHeaders, fetchAsThePage } from '../page-headers';

/**
 * Local jobs started at once. The conversion site converts one at a time (each conversion has an
 * encoder per core already); the second started job reads its input meanwhile, so a web video
 * downloads while another converts, and a stalled download doesn't hold up the queue.
 */
const MAX_STARTED_LOCAL_JOBS = 2;
/** A job restarted this many times by browser or worker stops is shown as interrupted instead. */
const MAX_ATTEMPTS = 3;
/** Long enough that a job just handed over is running by then; a running job reports progress more often. */
const WATCH_INTERVAL_MS = 5_000;
let watchdog: ReturnType<typeof setTimeout> | undefined;

/** Starts queued jobs while there is room (what `pump` runs); closes the conversion site when nothing is left to do. */
export async function fillSlots(): Promise<void> {
  const jobs = await readJobs();
  let running = jobs.filter((job) => job.engine === 'local' && isRunning(job)).length;
  for (const job of jobs.filter((candidate) => candidate.state === 'queued')) {
    if (job.engine === 'cloud') {
      // Cloud jobs mostly wait on the network, so they don't take a conversion slot.
      if (await transition(job.id, 'reading', { progress: 0, attempts: job.attempts + 1 })) void runCloud(job.id);
      continue;
    }
    if (running >= MAX_STARTED_LOCAL_JOBS) break;
    if (await startLocal(job)) running++;
  }
  if (running > 0) watchLocalJobs();
  await dropPageHeaders(new Set((await readJobs()).filter(isActive).map((job) => job.id)));
  closeWhenIdle();
}

/** Hands a queued local job to the conversion site; false when it did not start. */
async function startLocal(job: Job): Promise<boolean> {
  const started = await transition(job.id, 'reading', { progress: 0, attempts: job.attempts + 1, waiting: undefined });
  if (!started) return false;
  // Inside the try: a job whose start throws shows Retry rather than waiting for ever, and the jobs after it still start.
  try {
    await fetchAsThePage(job);
    await conversionSite.send('site:convert', {
      jobId: job.id,
      source: job.source,
      fileName: job.sourceName,
      bitrate: job.bitrate,
      keepMp3Audio: job.keepMp3Audio ?? false,
      format: job.format ?? 'mp3',
      normalizeLoudness: job.normalizeLoudness ?? false,
      ...(job.tags ? { tags: job.tags } : {}),
      ...(job.trim ? { trim: job.trim } : {}),
      ...(job.fades ? { fades: job.fades } : {}),
      title: baseName(job.sourceName),
      stallLimitMs: (await currentLimits()).localStallMs,
      outputName: job.outputName,
      soundTrack: job.soundTrack ?? 'default',
      splitChapters: job.splitChapters ?? false,
      ...(job.chosenTrack !== undefined ? { chosenTrack: job.chosenTrack } : {}),
      uiLanguage: browser.i18n.getUILanguage().slice(0, 35),
      ...(job.recording && { recorded: true }),
    });
    return true;
  } catch (error) {
    console.error('Could not start the conversion', error);
    await fail(job, 'internal');
    return false;
  }
}

/**
 * While local jobs run, checks every few seconds that the conversion site still has them: an offscreen
 * document that was closed or crashed takes its jobs with it, and they start again (or show **Retry**).
 */
function watchLocalJobs(): void {
  if (watchdog) return;
  watchdog = setTimeout(() => {
    watchdog = undefined;
    void restartLostJobs(Date.now() - WATCH_INTERVAL_MS)
      .then(async () => {
        const jobs = await readJobs();
        if (jobs.some((job) => job.engine === 'local' && isActive(job))) watchLocalJobs();
      })
      .catch((error: unknown) => console.error('Checking the running jobs failed', error));
  }, WATCH_INTERVAL_MS);
}

/** Local jobs that say they are converting, last heard of before `quietSince`, but that nothing is running. */
export async function restartLostJobs(quietSince: number): Promise<void> {
  const runningIds = await conversionSite.runningJobIds().catch((error: unknown) => error);
  // Without an answer nothing is known to be lost: restarting now could run a job twice.
  if (!Array.isArray(runningIds)) return;
  const running = new Set(runningIds);
  let restarted = false;
  for (const job of await readJobs()) {
    if (job.engine !== 'local' || !isRunning(job)) continue;
    if (running.has(job.id) || job.updatedAt > quietSince) continue;
    if (job.attempts >= MAX_ATTEMPTS) await fail(job, 'too-many-attempts');
    else await transition(job.id, 'queued', { progress: 0 });
    restarted = true;
  }
  if (restarted) await pump();
}
