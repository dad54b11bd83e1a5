import { CloudError } from '../../engines/cloud/errors';
import { mp3DurationSeconds, sniffAudioMp3 } from '../../engines/local/sniff';
import { putBlob } from '../../blob-store';
import { patchJob } from '../job-store';
import type { AtStep } from './progress';
import type { CloudOutcome, CloudRun } from './cloud-run';
import { refreshCredits } from './refresh-credits';

/** Step 5: waits for the render and stores what comes back, an MP3 or a video to convert on this device. */
export async function result(run: CloudRun, progress: AtStep<'rendering'>): Promise<CloudOutcome> {
  const { job, client, signal } = run;
  const { renderId } = progress;
  let rendered;
  try {
    const onProgress = (share: number) => void patchJob(job.id, ['converting'], { progress: share });
    rendered = await client.pollExport(renderId, { onProgress, signal });
  } catch (error) {
    // A render nobody waits for any more is stopped, so it doesn't keep the backend busy.
    const givenUp = error instanceof CloudError && error.kind === 'export-timeout';
    if (signal.aborted || givenUp) void client.cancelExport(renderId).catch(() => undefined);
    throw error;
  }
  const file = await client.download(renderId, rendered.outputUrl, signal);
  void refreshCredits(client);
  // Once more before storing: a job cancelled or removed during the download stops here.
  await run.save(progress);
  if (await sniffAudioMp3(file)) {
    await putBlob('outputs', job.id, file);
    return { mp3: { size: file.size, durationSeconds: await mp3DurationSeconds(file) } };
  }
  const inputKey = `${job.id}-from-cloud`;
  await putBlob('inputs', inputKey, file);
  return { video: { inputKey } };
}
