import { deleteBlob } from '../../blob-store';
import { CloudError } from '../../engines/cloud/errors';
import { isCancellation } from '../../timing/cancel';
import { inputKeyOf } from '../job';
import { readJob, transition } from '../job-store';
import { describeCloudFailure } from '../cloud/failure';
import { runCloudJob } from '../cloud/run';
import { pump } from './pump';
import { onConverted } from './reports';

/** Runs (or resumes) a cloud job; a video that comes back is converted on this device. */
export async function runCloud(jobId: string): Promise<void> {
  try {
    const outcome = await runCloudJob(jobId);
    if (outcome?.mp3) await onConverted({ jobId, outputKey: jobId, ...outcome.mp3 });
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
      await pump();
    }
  } catch (error) {
    const job = await readJob(jobId);
    if (!job || isCancellation(error)) return;
    console.error('Cloud job failed', error);
    const { message, offerLocal } = await describeCloudFailure(error, job.sourceName);
    // A project NemoVideo lost can't be exported again: its Retry starts over (see editKeptForRetry).
    const projectLost = error instanceof CloudError && error.kind === 'session-lost';
    await transition(jobId, 'failed', {
      error: message,
      offer: offerLocal ? 'local' : undefined,
      ...(projectLost ? { cloud: undefined } : {}),
    });
    await pump();
  }
}
