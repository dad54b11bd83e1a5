import { getSettings, resolveEngine, type Settings } from '../settings';
import { deleteBlob, evictOldest, hasBlob, sweepUnowned } from '../blob-store';
import { describeFailure, type FailureReason } from '../failures';
import { baseName, mp3NameFromPattern } from '../file-names';
import type { CommandReply, MessageData } from '../messages';
import { inputKeyOf, isActive, type CloudProgress, type Job, type JobSource } from './job';
import { mutateJobs, patchJob, readJob, readJobs, removeJob, transition } from './job-store';
import { addHistoryEntry, markNotStored, readHistory, setDownloadId, STORED_OUTPUT_CAP_BYTES } from './history';
import { conversionSite } from './conversion-site';
import type { Trim } from '../trim';
import { cancelCloudJob, describeCloudFailure, runCloudJob } from './cloud-jobs';
import { CloudError } from '../engines/cloud/errors';
import { i18n } from '#i18n';
import { oneAtATime } from '../one-at-a-time';
import { currentLimits } from '../limits-override';

/**
 * Local jobs started at once. The conversion site converts one at a time (each conversion has an
 * encoder per core already); the second started job reads its input meanwhile, so a web video
 * downloads while another converts, and a stalled download doesn't hold up the queue.
 */
const MAX_STARTED_LOCAL_JOBS = 2;
/** A job restarted this many times by browser or worker stops is shown as interrupted instead. */
const MAX_ATTEMPTS = 3;
/** Stored bytes no job owns are kept this long before they go: a popup may still be queuing them. */
const UNOWNED_BYTES_AGE_MS = 60 * 60 * 1000;
/** Within the ~30 s Chrome gives an idle service worker, so the timer still fires. */
const IDLE_CLOSE_DELAY_MS = 20_000;
let idleClose: ReturnType<typeof setTimeout> | undefined;
/** Long enough that a job just handed over is running by then; a running job reports progress more often. */
const WATCH_INTERVAL_MS = 5_000;
let watchdog: ReturnType<typeof setTimeout> | undefined;
/** Two pumps at once (a job failing while another is added, say) would each see the same free slot and both fill it. */
const onePumpAtATime = oneAtATime();

const ok: CommandReply = { ok: true };
const refuse = (error: string): CommandReply => ({ ok: false, error });

/** Failures the other engine may get past: NemoVideo reads formats this device can't. */
const CLOUD_MAY_READ: readonly FailureReason[] = ['not-a-video', 'unsupported-audio'];

async function fail(job: Job, reason: FailureReason): Promise<void> {
  const offerCloud = job.engine === 'local' && CLOUD_MAY_READ.includes(reason) && (await getSettings()).engine === 'auto';
  await transition(job.id, reason === 'too-many-attempts' ? 'interrupted' : 'failed', {
    error: describeFailure(reason, job.sourceName),
    offer: offerCloud ? 'cloud' : undefined,
  });
}

/**
 * What a cloud job's **Retry** keeps: once NemoVideo has made the edit (and charged for it), only the
 * export is done again, on the same project. A job that failed before that starts over.
 */
function editKeptForRetry(cloud: CloudProgress | undefined): CloudProgress | undefined {
  if (!cloud?.chatDone || !cloud.sessionId) return undefined;
  const { sessionId, userId, awaitingExport } = cloud;
  return { sessionId, userId, uploaded: true, chatSent: true, chatDone: true, awaitingExport };
}

/** How the MP3 is made, as the settings say when a job is queued or retried. */
function outputChoices({ bitrate, keepMp3Audio, normalizeLoudness, tags }: Settings): Pick<Job, 'bitrate' | 'keepMp3Audio' | 'normalizeLoudness' | 'tags'> {
  return { bitrate, keepMp3Audio, normalizeLoudness, tags };
}

/**
 * The one job queue: the popup, the context menu and the in-page button all start jobs here.
 * Every step is written to storage first, so a stopped service worker picks up where it was.
 */
export const jobQueue = {
  /** Queues one job per input; returns their ids in the same order. */
  async add(
    inputs: { sourceName: string; outputName?: string; size: number; source: JobSource }[],
    { instructions, trim }: { instructions?: string; trim?: Trim } = {},
  ): Promise<string[]> {
    const settings = await getSettings();
    const { engine, bitrate, fileNamePattern } = settings;
    const now = Date.now();
    const jobs: Job[] = inputs.map((input, index) => ({
      id: crypto.randomUUID(),
      sourceName: input.sourceName,
      outputName: mp3NameFromPattern(fileNamePattern, {
        title: baseName(input.outputName ?? input.sourceName),
        bitrateKbps: bitrate,
        at: new Date(now),
      }),
      sourceSize: input.size,
      engine: resolveEngine(engine),
      ...outputChoices(settings),
      source: input.source,
      ...(instructions && resolveEngine(engine) === 'cloud' ? { instructions } : {}),
      ...(trim && (trim.startSeconds !== undefined || trim.endSeconds !== undefined) ? { trim } : {}),
      state: 'queued',
      progress: 0,
      attempts: 0,
      createdAt: now + index,
      updatedAt: now,
    }));
    await mutateJobs((all) => jobs.forEach((job) => (all[job.id] = job)));
    await this.pump();
    return jobs.map((job) => job.id);
  },

  async start({ files, instructions, trim }: MessageData<'jobs:start'>): Promise<CommandReply> {
    const inputs = files.map((file) => ({ sourceName: file.fileName, size: file.size, source: { kind: 'stored-file' as const, inputKey: file.inputKey } }));
    await this.add(inputs, { ...(instructions ? { instructions } : {}), ...(trim ? { trim } : {}) });
    return ok;
  },

  async cancel(jobId: string): Promise<CommandReply> {
    const job = await transition(jobId, 'cancelled', { progress: 0 });
    if (!job) return refuse(i18n.t('jobs.alreadyFinished'));
    cancelCloudJob(jobId);
    await conversionSite.cancel(jobId);
    await this.pump();
    return ok;
  },

  async retry(jobId: string, engineChoice?: 'local' | 'cloud'): Promise<CommandReply> {
    const settings = await getSettings();
    const engine = engineChoice ?? resolveEngine(settings.engine);
    const before = await readJob(jobId);
    const job = await transition(jobId, 'queued', {
      engine,
      offer: undefined,
      cloud: engine === 'cloud' && before?.engine === 'cloud' ? editKeptForRetry(before.cloud) : undefined,
      ...outputChoices(settings),
      progress: 0,
      attempts: 0,
      error: undefined,
      result: undefined,
    });
    if (!job) return refuse(i18n.t('jobs.cannotRetry'));
    await this.pump();
    return ok;
  },

  async remove(jobId: string): Promise<CommandReply> {
    const job = await readJob(jobId);
    if (!job) return ok;
    if (isActive(job) || job.state === 'queued') return refuse(i18n.t('jobs.cancelFirst'));
    await removeJob(jobId);
    await deleteBlob('inputs', inputKeyOf(job));
    if (job.result) await deleteBlob('outputs', job.result.outputKey);
    return ok;
  },

  async onProgress({ jobId, phase, progress }: MessageData<'job:progress'>): Promise<void> {
    if (phase === 'waiting') {
      await patchJob(jobId, ['reading'], { waiting: true });
      return;
    }
    if (phase === 'converting') await transition(jobId, 'converting', { waiting: undefined });
    await patchJob(jobId, [phase], { progress });
  },

  async onConverted({ jobId, outputKey, size, durationSeconds }: MessageData<'job:converted'>): Promise<void> {
    const job = await transition(jobId, 'saving', { progress: 1, result: { outputKey, size, durationSeconds } });
    if (!job) {
      // A late or repeated report: keep the MP3 if a job or Completed downloads still own it.
      const owned =
        (await readJobs()).some((candidate) => candidate.result?.outputKey === outputKey) ||
        (await readHistory()).some((entry) => entry.id === outputKey);
      if (!owned) await deleteBlob('outputs', outputKey);
      return;
    }
    await this.save(job);
  },

  async onFailed({ jobId, reason }: MessageData<'job:failed'>): Promise<void> {
    const job = await readJob(jobId);
    if (job) await fail(job, reason);
    await this.pump();
  },

  /** Hands the stored MP3 to the downloads API; the job is done once the download completes. */
  async save(job: Job): Promise<void> {
    if (!job.result) return;
    try {
      const url = await conversionSite.send('site:object-url', { outputKey: job.result.outputKey });
      const downloadId = await browser.downloads.download({
        url,
        filename: job.outputName,
        conflictAction: 'uniquify',
        saveAs: false,
      });
      await patchJob(job.id, ['saving'], { result: { ...job.result, downloadId } });
      // A small file may finish downloading before its id was stored, when onChanged found no job.
      const [download] = await browser.downloads.search({ id: downloadId });
      if (download) await this.onDownloadChanged({ id: downloadId, state: { current: download.state } });
    } catch (error) {
      console.error('Saving failed', error);
      await fail(job, 'save-failed');
      await this.pump();
    }
  },

  async onDownloadChanged(delta: { id: number; state?: { current?: string } }): Promise<void> {
    const state = delta.state?.current;
    if (state !== 'complete' && state !== 'interrupted') return;
    const job = (await readJobs()).find((candidate) => candidate.state === 'saving' && candidate.result?.downloadId === delta.id);
    if (job) {
      if (state === 'complete') await this.finish(job);
      else await fail(job, 'save-failed');
    }
    await this.pump();
  },

  /** Done: into Completed downloads, then cleaned up. Each step is safe to repeat after a worker stop. */
  async finish(job: Job): Promise<void> {
    if (!job.result) return;
    if (job.state !== 'done' && !(await transition(job.id, 'done'))) return;
    await addHistoryEntry({
      id: job.id,
      fileName: job.outputName,
      sourceName: job.sourceName,
      size: job.result.size,
      durationSeconds: job.result.durationSeconds,
      completedAt: Date.now(),
      downloadId: job.result.downloadId,
      stored: true,
    });
    await removeJob(job.id);
    await deleteBlob('inputs', inputKeyOf(job));
    await markNotStored(await evictOldest('outputs', STORED_OUTPUT_CAP_BYTES, job.result.outputKey));
  },

  /** Starts queued jobs while there is room; closes the offscreen document when nothing is left to do. */
  pump(): Promise<void> {
    return onePumpAtATime(() => this.fillSlots());
  },

  async fillSlots(): Promise<void> {
    const jobs = await readJobs();
    let running = jobs.filter((job) => job.engine === 'local' && (job.state === 'reading' || job.state === 'converting')).length;
    for (const job of jobs.filter((candidate) => candidate.state === 'queued')) {
      if (job.engine === 'cloud') {
        // Cloud jobs mostly wait on the network, so they don't take a conversion slot.
        if (await transition(job.id, 'reading', { progress: 0, attempts: job.attempts + 1 })) void this.runCloud(job.id);
        continue;
      }
      if (running >= MAX_STARTED_LOCAL_JOBS) break;
      if (job.source.kind === 'stored-file' && !(await hasBlob('inputs', job.source.inputKey))) {
        await fail(job, 'input-missing');
        continue;
      }
      const started = await transition(job.id, 'reading', { progress: 0, attempts: job.attempts + 1, waiting: undefined });
      if (!started) continue;
      running++;
      try {
        await conversionSite.send('site:convert', {
          jobId: job.id,
          source: job.source,
          fileName: job.sourceName,
          bitrate: job.bitrate,
          keepMp3Audio: job.keepMp3Audio ?? false,
          normalizeLoudness: job.normalizeLoudness ?? false,
          ...(job.tags ? { tags: job.tags } : {}),
          ...(job.trim ? { trim: job.trim } : {}),
          title: baseName(job.sourceName),
          stallLimitMs: (await currentLimits()).localStallMs,
        });
      } catch (error) {
        console.error('Could not start the conversion', error);
        await fail(job, 'internal');
        running--;
      }
    }
    if (running > 0) this.watchLocalJobs();
    this.closeWhenIdle();
  },

  /**
   * While local jobs run, checks every few seconds that the conversion site still has them: an offscreen
   * document that was closed or crashed takes its jobs with it, and they start again (or show **Retry**).
   */
  watchLocalJobs(): void {
    if (watchdog) return;
    watchdog = setTimeout(() => {
      watchdog = undefined;
      void this.restartLostJobs(Date.now() - WATCH_INTERVAL_MS)
        .then(async () => {
          const jobs = await readJobs();
          if (jobs.some((job) => job.engine === 'local' && isActive(job))) this.watchLocalJobs();
        })
        .catch((error: unknown) => console.error('Checking the running jobs failed', error));
    }, WATCH_INTERVAL_MS);
  },

  /** Local jobs that say they are converting, last heard of before `quietSince`, but that nothing is running. */
  async restartLostJobs(quietSince: number): Promise<void> {
    const runningIds = await conversionSite.runningJobIds().catch((error: unknown) => error);
    // Without an answer nothing is known to be lost: restarting now could run a job twice.
    if (!Array.isArray(runningIds)) return;
    const running = new Set(runningIds);
    let restarted = false;
    for (const job of await readJobs()) {
      if (job.engine !== 'local' || !(job.state === 'reading' || job.state === 'converting')) continue;
      if (running.has(job.id) || job.updatedAt > quietSince) continue;
      if (job.attempts >= MAX_ATTEMPTS) await fail(job, 'too-many-attempts');
      else await transition(job.id, 'queued', { progress: 0 });
      restarted = true;
    }
    if (restarted) await this.pump();
  },

  /** **Export MP3** on a cloud job the user reviewed: its edited draft is exported as it stands. */
  async exportReviewed(jobId: string): Promise<CommandReply> {
    const job = await readJob(jobId);
    if (!job?.cloud?.awaitingExport || job.state !== 'converting') return refuse(i18n.t('jobs.notAwaitingExport'));
    if (job.cloud.replying) return refuse(i18n.t('jobs.waitForAnswer'));
    await patchJob(jobId, ['converting'], { cloud: { ...job.cloud, awaitingExport: false } });
    void this.runCloud(jobId);
    return ok;
  },

  /** Runs (or resumes) a cloud job; a video that comes back is converted on this device. */
  async runCloud(jobId: string): Promise<void> {
    try {
      const outcome = await runCloudJob(jobId);
      if (outcome?.mp3) await this.onConverted({ jobId, outputKey: jobId, ...outcome.mp3 });
      if (outcome?.video) {
        const before = await readJob(jobId);
        if (before?.state !== 'converting') return;
        const swapped = await transition(jobId, 'queued', {
          source: { kind: 'stored-file', inputKey: outcome.video.inputKey },
          engine: 'local',
          progress: 0,
          attempts: 0,
        });
        if (before && swapped) await deleteBlob('inputs', inputKeyOf(before));
        await this.pump();
      }
    } catch (error) {
      const job = await readJob(jobId);
      if (!job || (error instanceof DOMException && error.name === 'AbortError')) return;
      console.error('Cloud job failed', error);
      const { message, offerLocal } = await describeCloudFailure(error, job.sourceName);
      // A project NemoVideo lost can't be exported again: its Retry starts over (see editKeptForRetry).
      const projectLost = error instanceof CloudError && error.kind === 'session-lost';
      await transition(jobId, 'failed', { error: message, offer: offerLocal ? 'local' : undefined, ...(projectLost ? { cloud: undefined } : {}) });
      await this.pump();
    }
  },

  /** The popup is open, so a conversion is likely: the local engine starts now and closes again when idle. */
  async warmUp(): Promise<void> {
    const { engine } = await getSettings();
    if (resolveEngine(engine) !== 'local') return;
    await conversionSite.warmUp();
    this.closeWhenIdle();
  },

  /** Closes the conversion site once nothing has needed it for a while, so the next job starts warm. */
  closeWhenIdle(): void {
    clearTimeout(idleClose);
    idleClose = setTimeout(() => void this.closeIfIdle().catch((error: unknown) => console.error('Closing when idle failed', error)), IDLE_CLOSE_DELAY_MS);
  },

  async closeIfIdle(): Promise<void> {
    const busy = (await readJobs()).some((job) => job.state === 'queued' || isActive(job));
    if (busy) return;
    const ownBlobUrl = `blob:${new URL(browser.runtime.getURL('/')).origin}`;
    const downloading = await browser.downloads.search({ state: 'in_progress' });
    if (downloading.some((item) => item.url.startsWith(ownBlobUrl))) return;
    await conversionSite.close();
  },

  /**
   * Called when the service worker starts: a job that was converting when the worker or the
   * browser stopped is started again (the input is kept), or reported as interrupted.
   */
  async recover(): Promise<void> {
    await this.restartLostJobs(Number.POSITIVE_INFINITY);
    for (const job of await readJobs()) {
      if (job.engine === 'cloud' && (job.state === 'reading' || job.state === 'converting')) {
        if (job.cloud?.replying) await patchJob(job.id, ['converting'], { cloud: { ...job.cloud, replying: false } });
        if (!job.cloud?.awaitingExport) void this.runCloud(job.id);
        continue;
      }
      if (job.state === 'saving') await this.recoverSave(job);
      if (job.state === 'done') await this.finish(job);
    }
    await this.pump();
    await this.sweepUnownedBytes();
  },

  /** Inputs and MP3s that no job and no Completed downloads entry owns any more. */
  async sweepUnownedBytes(): Promise<void> {
    const jobs = await readJobs();
    const inputs = new Set(jobs.map(inputKeyOf));
    const outputs = new Set([
      ...jobs.flatMap((job) => (job.result ? [job.result.outputKey] : [])),
      ...(await readHistory()).filter((entry) => entry.stored).map((entry) => entry.id),
    ]);
    const before = Date.now() - UNOWNED_BYTES_AGE_MS;
    await sweepUnowned('inputs', (key) => inputs.has(key), before);
    await sweepUnowned('outputs', (key) => outputs.has(key), before);
  },

  async recoverSave(job: Job): Promise<void> {
    const downloadId = job.result?.downloadId;
    const [download] = downloadId === undefined ? [] : await browser.downloads.search({ id: downloadId });
    if (download?.state === 'complete') await this.finish(job);
    else if (download?.state !== 'in_progress') {
      if (job.result && (await hasBlob('outputs', job.result.outputKey))) await this.save(job);
      else await fail(job, 'save-failed');
    }
  },

  async downloadAgain(entryId: string): Promise<CommandReply> {
    const entry = (await readHistory()).find((candidate) => candidate.id === entryId);
    if (!entry?.stored || !(await hasBlob('outputs', entry.id))) {
      if (entry) await markNotStored([entry.id]);
      return refuse(i18n.t('completed.noLongerKept', { file: entry?.fileName ?? i18n.t('completed.thisMp3') }));
    }
    const url = await conversionSite.send('site:object-url', { outputKey: entry.id });
    const downloadId = await browser.downloads.download({ url, filename: entry.fileName, conflictAction: 'uniquify', saveAs: false });
    await setDownloadId(entry.id, downloadId);
    return ok;
  },

  async showInFolder(entryId: string): Promise<CommandReply> {
    const entry = (await readHistory()).find((candidate) => candidate.id === entryId);
    const [download] = entry?.downloadId === undefined ? [] : await browser.downloads.search({ id: entry.downloadId });
    if (!entry || !download || download.exists === false) {
      const file = entry?.fileName ?? i18n.t('completed.thisMp3');
      return refuse(i18n.t(entry?.stored ? 'completed.notInFolderStored' : 'completed.notInFolder', { file }));
    }
    browser.downloads.show(download.id);
    return ok;
  },
};
