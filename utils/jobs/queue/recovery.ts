import { sweepUnowned } from '../../blob-store';
import { inputKeyOf, isRunning, outputFilesOf } from '../job';
import { patchJob, readJobs } from '../job-store';
import { readHistory } from '../history';
import { runCloud } from './cloud-hand-off';
import { pump } from './pump';
import { finish, recoverSave } from './saving';
import { restartLostJobs } from './scheduling';

/** Stored bytes no job owns are kept this long before they go: a popup may still be queuing them. */
const UNOWNED_BYTES_AGE_MS = 60 * 60 * 1000;

/**
 * Called when the service worker starts: a job that was converting when the worker or the
 * browser stopped is started again (the input is kept), or reported as interrupted.
 */
export async function recover(): Promise<void> {
  await restartLostJobs(Number.POSITIVE_INFINITY);
  for (const job of await readJobs()) {
    if (job.engine === 'cloud' && isRunning(job)) {
      if (job.cloud?.replying) await patchJob(job.id, ['converting'], { cloud: { ...job.cloud, replying: false } });
      if (!job.cloud?.awaitingExport) void runCloud(job.id);
      continue;
    }
    if (job.state === 'saving') await recoverSave(job);
    if (job.state === 'done') await finish(job);
  }
  await pump();
  await sweepUnownedBytes();
}

/** Inputs and MP3s that no job and no Completed downloads entry owns any more. */
async function sweepUnownedBytes(): Promise<void> {
  const jobs = await readJobs();
  const inputs = new Set(jobs.map(inputKeyOf));
  const outputs = new Set([
    ...jobs.flatMap((job) => outputFilesOf(job).map((file) => file.outputKey)),
    ...(await readHistory()).filter((entry) => entry.stored).map((entry) => entry.id),
  ]);
  const before = Date.now() - UNOWNED_BYTES_AGE_MS;
  await sweepUnowned('inputs', (key) => inputs.has(key), before);
  await sweepUnowned('outputs', (key) => outputs.has(key), before);
}
