import { deleteBlob } from '../../blob-store';
import type { MessageData } from '../../messages';
import { readJob, readJobs, patchJob, transition } from '../job-store';
import { readHistory } from '../history';
import { fail } from './failing';
import { pump } from './pump';
import { save } from './saving';

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
  if (phase === 'converting') await transition(jobId, 'converting', { waiting: undefined });
  await patchJob(jobId, [phase], {
    progress,
    ...(recordedSeconds !== undefined && { recording: { seconds: recordedSeconds } }),
  });
}

export async function onConverted(report: MessageData<'job:converted'>): Promise<void> {
  const { jobId, outputKey, size, durationSeconds, stoppedEarly } = report;
  const job = await transition(jobId, 'saving', {
    progress: 1,
    recording: undefined,
    result: { outputKey, size, durationSeconds, ...(stoppedEarly && { stoppedEarly }) },
  });
  if (!job) {
    // A late or repeated report: keep the MP3 if a job or Completed downloads still own it.
    const owned =
      (await readJobs()).some((candidate) => candidate.result?.outputKey === outputKey) ||
      (await readHistory()).some((entry) => entry.id === outputKey);
    if (!owned) await deleteBlob('outputs', outputKey);
    return;
  }
  await save(job);
}

export async function onFailed({ jobId, reason }: MessageData<'job:failed'>): Promise<void> {
  const job = await readJob(jobId);
  if (job) await fail(job, reason);
  await pump();
}
