import { getSettings } from '../../settings';
import { describeFailure, type FailureReason } from '../../failures';
import type { Job } from '../job';
import { transition } from '../job-store';

/** Failures the other engine may get past: NemoVideo reads formats this device can't. */
const CLOUD_MAY_READ: readonly FailureReason[] = ['not-a-video', 'unsupported-audio'];

/** Shows the job as failed (or interrupted) in plain words, offering the cloud where it may read the file. */
export async function fail(job: Job, reason: FailureReason): Promise<void> {
  const offerCloud =
    job.engine === 'local' && CLOUD_MAY_READ.includes(reason) && (await getSettings()).engine === 'auto';
  await transition(job.id, reason === 'too-many-attempts' ? 'interrupted' : 'failed', {
    error: describeFailure(reason, job.sourceName),
    offer: offerCloud ? 'cloud' : undefined,
  });
}
