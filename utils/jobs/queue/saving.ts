import { deleteBlob, evictOldest, hasBlob } from '../../blob-store';
import type { CommandReply } from '../../messages';
import { i18n } from '#i18n';
import { inputKeyOf, outputFilesOf, type Job, type OutputFile } from '../job';
import { mutateJobs, patchJob, readJobs, removeJob, transition } from '../job-store';
import { addHistoryEntry, markNotStored, readHistory, setDownloadId, STORED_OUTPUT_CAP_BYTES } from '../history';
import { conversionSite } from '../conversion-site';
import { fail } from './failing';
import { pump } from './pump';
import { ok, refuse } from './replies';

/**
 * Downloads the stored MP3 under `fileName`, without a Save-as prompt; returns the download's id. `url`: a
 * blob URL the conversion site already made of it, else it is asked for one.
 */
async function startDownload(outputKey: string, fileName: string, url?: string): Promise<number> {
  url ??= await conversionSite.send('site:object-url', { outputKey });
  return browser.downloads.download({ url, filename: fileName, conflictAction: 'uniquify', saveAs: false });
}

/**
 * Hands the just-made MP3s of `job` (its result not yet written) to the downloads API from the blob URLs
 * the site made of them, so that the job's move to saving is written once, with their download ids. A file
 * whose download doesn't start here keeps no id: `save` starts it, or fails the job.
 */
export async function startDownloads(
  job: Pick<Job, 'result' | 'outputName'>,
  objectUrls: Record<string, string>,
): Promise<NonNullable<Job['result']>> {
  let current = job;
  try {
    for (const file of outputFilesOf(job)) {
      const url = objectUrls[file.outputKey];
      if (!url) break;
      const downloadId = await startDownload(file.outputKey, file.fileName, url);
      current = { ...current, result: withFile(current, file.outputKey, { downloadId }) };
    }
  } catch (error) {
    console.warn('Starting a download from the made MP3 failed; it starts from the stored one', error);
  }
  return current.result!;
}

/** Downloads started for a job that was no longer there to save them (cancelled meanwhile). */
export async function dropDownloads(result: NonNullable<Job['result']>): Promise<void> {
  for (const file of outputFilesOf({ result, outputName: '' })) {
    if (file.downloadId === undefined) continue;
    await browser.downloads.cancel(file.downloadId).catch(() => undefined);
    await browser.downloads.erase({ id: file.downloadId }).catch(() => undefined);
  }
}

/** The job's result with one of its MP3s changed: the only one, or one of several. */
function withFile(
  job: Pick<Job, 'result'>,
  outputKey: string,
  change: Partial<OutputFile>,
): NonNullable<Job['result']> {
  const result = job.result!;
  if (!result.files) return 'downloadId' in change ? { ...result, downloadId: change.downloadId } : result;
  return {
    ...result,
    files: result.files.map((file) => (file.outputKey === outputKey ? { ...file, ...change } : file)),
  };
}

/**
 * Hands each stored MP3 of the job that isn't downloading yet to the downloads API; the job is done once
 * every download completes.
 */
export async function save(job: Job): Promise<void> {
  if (!job.result) return;
  try {
    let current = job;
    for (const file of outputFilesOf(job).filter((candidate) => candidate.downloadId === undefined)) {
      const downloadId = await startDownload(file.outputKey, file.fileName);
      const patched = await patchJob(job.id, ['saving'], { result: withFile(current, file.outputKey, { downloadId }) });
      if (!patched) return;
      current = patched;
    }
    // A small file may finish downloading before its id was stored, when onChanged found no job.
    for (const file of outputFilesOf(current)) {
      const [download] = file.downloadId === undefined ? [] : await browser.downloads.search({ id: file.downloadId });
      if (download) await onDownloadChanged({ id: download.id, state: { current: download.state } });
    }
  } catch (error) {
    console.error('Saving failed', error);
    await fail(job, 'save-failed');
    await pump();
  }
}

function savingJobOf(jobs: Job[], downloadId: number): Job | undefined {
  return jobs.find(
    (candidate) =>
      candidate.state === 'saving' && outputFilesOf(candidate).some((file) => file.downloadId === downloadId),
  );
}

export async function onDownloadChanged(delta: { id: number; state?: { current?: string } }): Promise<void> {
  const state = delta.state?.current;
  if (state !== 'complete' && state !== 'interrupted') return;
  const job = savingJobOf(await readJobs(), delta.id);
  if (job && state === 'interrupted') await fail(job, 'save-failed');
  if (job && state === 'complete') {
    const file = outputFilesOf(job).find((candidate) => candidate.downloadId === delta.id)!;
    const updated = await mutateJobs((jobs) => {
      const latest = jobs[job.id];
      if (latest?.state !== 'saving') return undefined;
      jobs[job.id] = { ...latest, result: withFile(latest, file.outputKey, { downloaded: true }) };
      return jobs[job.id];
    });
    if (updated && outputFilesOf(updated).every((candidate) => candidate.downloaded || !updated.result?.files))
      await finish(updated);
  }
  await pump();
}

/** Done: into Completed downloads, then cleaned up. Each step is safe to repeat after a worker stop. */
export async function finish(job: Job): Promise<void> {
  if (!job.result) return;
  if (job.state !== 'done' && !(await transition(job.id, 'done'))) return;
  const files = outputFilesOf(job);
  const completedAt = Date.now();
  // Newest first: the first chapter or track ends up on top.
  for (const file of [...files].reverse()) {
    await addHistoryEntry({
      id: job.result.files ? file.outputKey : job.id,
      fileName: file.fileName,
      sourceName: job.sourceName,
      size: file.size,
      durationSeconds: file.durationSeconds,
      completedAt,
      downloadId: file.downloadId,
      stored: true,
      ...(job.result.originalNotKept ? { originalNotKept: job.result.originalNotKept } : {}),
      ...(job.result.stoppedEarly && { stoppedEarly: true }),
    });
  }
  await removeJob(job.id);
  await deleteBlob('inputs', inputKeyOf(job));
  await markNotStored(await evictOldest('outputs', STORED_OUTPUT_CAP_BYTES, files.at(-1)?.outputKey));
}

/** A job that was saving when the worker stopped: done if its downloads completed, else saved again (or failed). */
export async function recoverSave(job: Job): Promise<void> {
  let current = job;
  for (const file of outputFilesOf(job)) {
    if (file.downloaded) continue;
    const [download] = file.downloadId === undefined ? [] : await browser.downloads.search({ id: file.downloadId });
    if (download?.state === 'in_progress') return;
    if (download?.state === 'complete') {
      if (!job.result?.files) return finish(job);
      current = { ...current, result: withFile(current, file.outputKey, { downloaded: true }) };
    } else if (await hasBlob('outputs', file.outputKey)) {
      current = { ...current, result: withFile(current, file.outputKey, { downloadId: undefined }) };
    } else return fail(job, 'save-failed');
  }
  const saved = await patchJob(job.id, ['saving'], { result: current.result });
  if (!saved) return;
  if (outputFilesOf(saved).every((file) => file.downloaded)) await finish(saved);
  else await save(saved);
}

/** **Download again** in Completed downloads, while the MP3 is still stored. */
export async function downloadAgain(entryId: string): Promise<CommandReply> {
  const entry = (await readHistory()).find((candidate) => candidate.id === entryId);
  if (!entry?.stored || !(await hasBlob('outputs', entry.id))) {
    if (entry) await markNotStored([entry.id]);
    return refuse(i18n.t('completed.noLongerKept', { file: entry?.fileName ?? i18n.t('completed.thisMp3') }));
  }
  const downloadId = await startDownload(entry.id, entry.fileName);
  await setDownloadId(entry.id, downloadId);
  return ok;
}

/** **Show in folder** in Completed downloads, while the downloaded file is still there. */
export async function showInFolder(entryId: string): Promise<CommandReply> {
  const entry = (await readHistory()).find((candidate) => candidate.id === entryId);
  const [download] = entry?.downloadId === undefined ? [] : await browser.downloads.search({ id: entry.downloadId });
  if (!entry || !download || download.exists === false) {
    const file = entry?.fileName ?? i18n.t('completed.thisMp3');
    return refuse(i18n.t(entry?.stored ? 'completed.notInFolderStored' : 'completed.notInFolder', { file }));
  }
  browser.downloads.show(download.id);
  return ok;
}
