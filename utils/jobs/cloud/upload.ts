import { CloudError } from '../../engines/cloud/errors';
import type { UploadTarget } from '../../engines/cloud/upload';
import { ConversionError } from '../../failures';
import { inputKeyOf } from '../job';
import { conversionSite } from '../conversion-site';
import { projectOf, type AtStep, type Project } from './progress';
import type { CloudRun } from './cloud-run';
import { startSession } from './session';
import { fetchAsThePage } from '../page-headers';

/** Step 2: the video goes into the project, sent from the conversion site, which holds the bytes. */
export async function upload(run: CloudRun, progress: AtStep<'session'>): Promise<AtStep<'uploaded'>> {
  const { job, client, signal } = run;
  // A web video is downloaded first, as for the local engine: the cloud gets the same bytes.
  if (job.source.kind !== 'stored-file') {
    await fetchAsThePage(job);
    const fetched = await conversionSite.send('site:fetch-input', { jobId: job.id, source: job.source });
    if (!fetched.ok) throw new ConversionError(fetched.reason);
  }
  const input = { jobId: job.id, inputKey: inputKeyOf(job), fileName: job.sourceName };
  const stallMs = client.limits.cloudRequestMs;
  const send = (target: UploadTarget) => conversionSite.send('site:upload', { ...input, ...target, stallMs });
  let project: Project = progress;
  try {
    await client.upload(project.sessionId, send, signal);
  } catch (error) {
    if (!(error instanceof CloudError && error.kind === 'session-lost')) throw error;
    project = await startSession(run);
    await client.upload(project.sessionId, send, signal);
  }
  return run.save({ step: 'uploaded', ...projectOf(project) });
}
