import { isDraftReady } from '../../engines/cloud/draft';
import { CloudError } from '../../engines/cloud/errors';
import { constantBitrate } from '../../bitrate';
import { projectOf, type AtStep } from './progress';
import type { CloudRun } from './cloud-run';

/** Step 4: the edited draft is submitted for export as an MP3; from then on the render is only polled. */
export async function render(
  run: CloudRun,
  progress: AtStep<'edited' | 'submitting-render'>,
): Promise<AtStep<'rendering'>> {
  const { job, client, signal } = run;
  const project = projectOf(progress);
  // The worker stopped while submitting: poll that render if it arrived; submit only if it never did.
  if (progress.step === 'submitting-render' && (await renderArrived(run, progress.renderId))) {
    return run.save({ step: 'rendering', ...project, renderId: progress.renderId });
  }
  const { draft } = await client.state(project.sessionId, signal);
  if (!draft || !isDraftReady(draft)) throw new CloudError('export-failed');
  // NemoVideo makes constant-bitrate MP3s only: a VBR level gets the nearest one (the settings say so).
  const output = { format: 'mp3', audioBitrate: constantBitrate(job.bitrate) } as const;
  const submitted = await client.startExport(project.sessionId, draft, output, signal, async (renderId) => {
    await run.save({ step: 'submitting-render', ...project, renderId });
  });
  return run.save({ step: 'rendering', ...project, renderId: submitted.id });
}

async function renderArrived({ client, signal }: CloudRun, renderId: string): Promise<boolean> {
  try {
    await client.exportStatus(renderId, signal);
    return true;
  } catch (error) {
    if (error instanceof CloudError && error.status === 404) return false;
    throw error;
  }
}
