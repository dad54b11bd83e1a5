import { cancelledError } from '../../timing/cancel';
import { keepAlive } from '../../timing/keep-alive';
import { RUNNING_STATES } from '../job';
import { patchJob, readJob, transition } from '../job-store';
import { conversationOf, readCloudProgress, type CloudProgress, type ConversationFlags } from './progress';
import type { CloudOutcome, CloudRun } from './cloud-run';
import { createClient } from './connect';
import { startSession } from './session';
import { upload } from './upload';
import { edit } from './edit';
import { render } from './render';
import { result } from './result';

export type { CloudOutcome } from './cloud-run';

/** The jobs this worker is running in the cloud right now, so a second start doesn't run one twice. */
const running = new Map<string, AbortController>();

/** Stops a cloud job this worker is running (Cancel, Remove): no more calls, no more credits spent. */
export function cancelCloudJob(jobId: string): void {
  running.get(jobId)?.abort(cancelledError());
}

/**
 * Runs one job through NemoVideo: session → upload → edit → render → result. Each step's result is
 * saved on the job first, so a worker stopped mid-job picks up after the last step it finished.
 */
export async function runCloudJob(jobId: string): Promise<CloudOutcome | undefined> {
  if (running.has(jobId)) return undefined;
  const controller = new AbortController();
  running.set(jobId, controller);
  // A long cloud job mostly waits on the network: without an API call now and then Chrome would stop the worker.
  const awake = keepAlive();
  try {
    const job = await readJob(jobId);
    if (!job) return undefined;
    const { signal } = controller;
    const run: CloudRun = { job, client: await createClient(jobId), signal, save: saver(jobId, signal) };
    let progress = readCloudProgress(job.cloud) ?? (await startSession(run));
    if (progress.step === 'session') progress = await upload(run, progress);
    const converting = await transition(jobId, 'converting', { progress: 0 });
    if (!converting && (await readJob(jobId))?.state !== 'converting') throw cancelledError();
    if (progress.step === 'uploaded' || progress.step === 'editing') progress = await edit(run, progress);
    // With instructions, the user reads the answer and may send more before pressing Export MP3.
    if (progress.awaitingExport) return undefined;
    if (progress.step !== 'rendering') progress = await render(run, progress);
    return await result(run, progress);
  } finally {
    awake.stop();
    running.delete(jobId);
  }
}

/** A job's `save` (see CloudRun): progress goes on the job only while it is still running. */
function saver(jobId: string, signal: AbortSignal): CloudRun['save'] {
  return async <P extends CloudProgress>(progress: P, flags: ConversationFlags = {}): Promise<P> => {
    signal.throwIfAborted();
    const latest = await readJob(jobId);
    const saved = { ...progress, ...conversationOf(latest?.cloud), ...flags };
    if (!latest || !(await patchJob(jobId, RUNNING_STATES, { cloud: saved }))) throw cancelledError();
    return saved;
  };
}
