import { deleteBlob } from '../../blob-store';
import type { MessageData } from '../../messages';
import { readJob, readJobs, patchJob, removeJob, transition } from '../job-store';
import { conversionSite } from '../conversion-site';
import { canTransition, outputFilesOf } from '../job';
import { readHistory } from '../history';
import { fail } from './failing';
import { pump } from './pump';
import { dropDownloads, save, startDownloads } from './saving';
import { withExtension } from '../../output-format';

// What the conversion site reports about a job it runs: how far it is, its MP3, or why it failed.

export async function onProgress({
  jobId,
  phase,
  progress,
  recordedSeconds,
}: MessageData<'job:progress'>): Promise<void> {
  if (phase === 'waiting') {
    await patchJob(jobId, ['reading'], { waiting: true });
    return;
  }
  const patch = { progress, ...(recordedSeconds !== undefined && { recording: { seconds: recordedSeconds } }) };
  // One write: the move to converting carries the first progress.
  if (phase === 'converting' && (await transition(jobId, 'converting', { ...patch, waiting: undefined }))) return;
  await patchJob(jobId, [phase], patch);
}

export async function onConverted(report: MessageData<'job:converted'>): Promise<void> {
  const { jobId, outputKey, size, durationSeconds, extension, originalNotKept, files, stoppedEarly, objectUrls } =
    report;
  const before = await readJob(jobId);
  const made = {
    outputKey,
    size,
    durationSeconds,
    ...(originalNotKept ? { originalNotKept } : {}),
    ...(files ? { files } : {}),
    ...(stoppedEarly && { stoppedEarly }),
  };
  // The name was made for an MP3; the original sound in its own container takes that container's extension.
  const outputName = before && extension ? withExtension(before.outputName, extension) : before?.outputName;
  // The downloads start before the job's one write, which records them; a job that can't be saving starts none.
  const result =
    before && outputName && canTransition(before.state, 'saving')
      ? await startDownloads({ result: made, outputName }, objectUrls ?? {})
      : made;
  const job = await transition(jobId, 'saving', {
    progress: 1,
    recording: undefined,
    result,
    ...(outputName ? { outputName } : {}),
  });
  if (!job) {
    await dropDownloads(result);
    // A late or repeated report: keep each MP3 that a job or Completed downloads still owns.
    const jobs = await readJobs();
    const history = await readHistory();
    for (const key of (files ?? [{ outputKey }]).map((file) => file.outputKey)) {
      const owned =
        jobs.some((candidate) => outputFilesOf(candidate).some((file) => file.outputKey === key)) ||
        history.some((entry) => entry.id === key);
      if (!owned) await deleteBlob('outputs', key);
    }
    return;
  }
  await save(job);
}

export async function onFailed({ jobId, reason }: MessageData<'job:failed'>): Promise<void> {
  const job = await readJob(jobId);
  if (job) await fail(job, reason);
  await pump();
}

/**
 * The copy of a file a page handed over could not be stored (a full disk): its job is withdrawn, as one
 * whose file could not be stored never was queued, and the page names the file.
 */
export async function onInputNotKept({ inputKey }: MessageData<'job:input-not-kept'>): Promise<void> {
  for (const job of await readJobs()) {
    if (job.source.kind !== 'stored-file' || job.source.inputKey !== inputKey) continue;
    if (job.state === 'saving' || job.state === 'done') continue;
    await removeJob(job.id);
    await conversionSite.cancel(job.id);
  }
  await deleteBlob('inputs', inputKey);
  await pump();
}
