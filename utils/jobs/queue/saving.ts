import { deleteBlob, evictOldest, hasBlob } from '../../blob-store';
import type { CommandReply } from '../../messages';
import { i18n } from '#i18n';
import { inputKeyOf, type Job } from '../job';
import { patchJob, readJobs, removeJob, transition } from '../job-store';
import { addHistoryEntry, markNotStored, readHistory, setDownloadId, STORED_OUTPUT_CAP_BYTES } from '../history';
import { conversionSite } from '../conversion-site';
import { fail } from './failing';
import { pump } from './pump';
import { ok, refuse } from './replies';

/** Downloads the stored MP3 under `fileName`, without a Save-as prompt; returns the download's id. */
async function startDownload(outputKey: string, fileName: string): Promise<number> {
  const url = await conversionSite.send('site:object-url', { outputKey });
  return browser.downloads.download({ url, filename: fileName, conflictAction: 'uniquify', saveAs: false });
}

/** Hands the stored MP3 to the downloads API; the job is done once the download completes. */
export async function save(job: Job): Promise<void> {
  if (!job.result) return;
  try {
    const downloadId = await startDownload(job.result.outputKey, job.outputName);
    await patchJob(job.id, ['saving'], { result: { ...job.result, downloadId } });
    // A small file may finish downloading before its id was stored, when onChanged found no job.
    const [download] = await browser.downloads.search({ id: downloadId });
    if (download) await onDownloadChanged({ id: downloadId, state: { current: download.state } });
  } catch (error) {
    console.error('Saving failed', error);
    await fail(job, 'save-failed');
    await pump();
  }
}

export async function onDownloadChanged(delta: { id: number; state?: { current?: string } }): Promise<void> {
  const state = delta.state?.current;
  if (state !== 'complete' && state !== 'interrupted') return;
  const jobs = await readJobs();
  const job = jobs.find((candidate) => candidate.state === 'saving' && candidate.result?.downloadId === delta.id);
  if (job) {
    if (state === 'complete') await finish(job);
    else await fail(job, 'save-failed');
  }
  await pump();
}

/** Done: into Completed downloads, then cleaned up. Each step is safe to repeat after a worker stop. */
export async function finish(job: Job): Promise<void> {
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
    ...(job.result.stoppedEarly && { stoppedEarly: true }),
  });
  await removeJob(job.id);
  await deleteBlob('inputs', inputKeyOf(job));
  await markNotStored(await evictOldest('outputs', STORED_OUTPUT_CAP_BYTES, job.result.outputKey));
}

/** A job that was saving when the worker stopped: done if its download completed, else saved again (or failed). */
export async function recoverSave(job: Job): Promise<void> {
  const downloadId = job.result?.downloadId;
  const [download] = downloadId === undefined ? [] : await browser.downloads.search({ id: downloadId });
  if (download?.state === 'complete') await finish(job);
  else if (download?.state !== 'in_progress') {
    if (job.result && (await hasBlob('outputs', job.result.outputKey))) await save(job);
    else await fail(job, 'save-failed');
  }
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
