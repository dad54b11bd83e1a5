import { isActive, type Job } from '@/utils/jobs/job';
import { sendMessage } from '@/utils/messages';
import { formatBytes } from '@/utils/format';
import { useCommand } from './useCommand';
import { Alert } from './Alert';
import { FileCard } from './FileCard';
import { CloudCost } from './CloudCredits';
import { CloudConversation } from './CloudConversation';

const stateLabels: Record<Job['state'], string> = {
  queued: 'Waiting…',
  reading: 'Reading…',
  converting: 'Converting…',
  saving: 'Saving…',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** What the job is doing, in the words of where its bytes are going. */
function stateLabel(job: Job): string {
  if (job.state === 'reading' && job.engine === 'cloud') return 'Uploading…';
  if (job.state === 'reading' && job.source.kind === 'url') return 'Downloading…';
  if (job.state === 'converting' && job.engine === 'cloud') return 'In the NemoVideo cloud…';
  return stateLabels[job.state];
}

function JobRow({ job }: { job: Job }) {
  const { error, run } = useCommand();
  const percent = Math.round(job.progress * 100);
  const inProgress = job.state === 'queued' || isActive(job);
  const jobId = job.id;

  return (
    <FileCard name={job.sourceName} aside={job.sourceSize > 0 && <span className="muted">{formatBytes(job.sourceSize)}</span>}>
      {inProgress && !job.cloud?.awaitingExport && (
        <div className="job__progress">
          <div
            role="progressbar"
            aria-label={`Converting ${job.sourceName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${stateLabel(job)} ${percent}%`}
            className="progress"
          >
            <div className="progress__bar" style={{ width: `${percent}%` }} />
          </div>
          <span className="muted job__state">
            {stateLabel(job)} {percent > 0 && percent < 100 ? `${percent}%` : ''}
          </span>
          <button type="button" className="button" onClick={() => run(() => sendMessage('jobs:cancel', { jobId }))}>
            Cancel
          </button>
        </div>
      )}
      {(job.conversation?.length ?? 0) > 0 && <CloudConversation job={job} />}
      {inProgress && job.notice && (
        <p role="status" className="muted">
          {job.notice}
        </p>
      )}
      {!inProgress && (
        <>
          {job.error ? <Alert message={job.error} /> : <p className="muted">{stateLabels[job.state]}</p>}
          <div className="job__actions">
            <button type="button" className="button" onClick={() => run(() => sendMessage('jobs:retry', { jobId }))}>
              Retry
            </button>
            {job.offer === 'local' && (
              <button type="button" className="button" onClick={() => run(() => sendMessage('jobs:retry', { jobId, engine: 'local' }))}>
                Convert on this device
              </button>
            )}
            {job.offer === 'cloud' && (
              <button
                type="button"
                className="button"
                aria-describedby={`${jobId}-cloud-cost`}
                onClick={() => run(() => sendMessage('jobs:retry', { jobId, engine: 'cloud' }))}
              >
                Try the cloud
              </button>
            )}
            <button type="button" className="button button--quiet" onClick={() => run(() => sendMessage('jobs:remove', { jobId }))}>
              Remove
            </button>
          </div>
        </>
      )}
      {job.offer === 'cloud' && !inProgress && (
        <p id={`${jobId}-cloud-cost`} className="muted">
          <CloudCost /> The video is uploaded to NemoVideo to convert it.
        </p>
      )}
      <Alert message={error} />
    </FileCard>
  );
}

export function JobList({ jobs }: { jobs: Job[] }) {
  if (jobs.length === 0) return null;
  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
      <ul className="list">
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </ul>
    </section>
  );
}
