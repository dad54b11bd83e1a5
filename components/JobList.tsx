import { i18n } from '#i18n';
import { isActive, type Job } from '@/utils/jobs/job';
import { sendMessage } from '@/utils/messages';
import { formatBytes, formatDuration } from '@/utils/format';
import { useCommand } from './useCommand';
import { Alert } from './Alert';
import { FileCard } from './FileCard';
import { useCloudCost } from './CloudCredits';
import { CloudConversation } from './CloudConversation';
import { ProgressBar } from './ProgressBar';
import { TrackChoice } from './TrackChoice';

const stateLabel = (state: Job['state']): string => i18n.t(`jobs.${state}`);

/** What the job is doing, in the words of where its bytes are going. */
function activityLabel(job: Job): string {
  if (job.state === 'reading' && job.engine === 'cloud') return i18n.t('jobs.uploading');
  if (job.state === 'reading' && job.waiting) return stateLabel('queued');
  if (job.state === 'reading' && job.recording)
    return i18n.t('jobs.recording', { time: formatDuration(job.recording.seconds) });
  if (job.state === 'reading' && job.source.kind !== 'stored-file') return i18n.t('jobs.downloading');
  if (job.state === 'converting' && job.engine === 'cloud') return i18n.t('jobs.inCloud');
  return stateLabel(job.state);
}

function JobRow({ job }: { job: Job }) {
  const { error, run } = useCommand();
  const percent = Math.round(job.progress * 100);
  const inProgress = job.state === 'queued' || isActive(job);
  const jobId = job.id;
  const cost = useCloudCost();

  return (
    <FileCard
      name={job.sourceName}
      aside={job.sourceSize > 0 && <span className="muted">{formatBytes(job.sourceSize)}</span>}
    >
      {inProgress && !job.cloud?.awaitingExport && (
        <div className="job__progress">
          <ProgressBar
            label={i18n.t('jobs.progressLabel', { file: job.sourceName })}
            activity={activityLabel(job)}
            fraction={job.progress}
          />
          <span className="muted job__state">
            {activityLabel(job)} {percent > 0 && percent < 100 ? `${percent}%` : ''}
          </span>
          {job.recording && job.state === 'reading' && (
            <button
              type="button"
              className="button"
              onClick={() => void run(() => sendMessage('jobs:stop-recording', { jobId }))}
            >
              {i18n.t('jobs.stop')}
            </button>
          )}
          <button
            type="button"
            className="button"
            onClick={() => void run(() => sendMessage('jobs:cancel', { jobId }))}
          >
            {i18n.t('jobs.cancel')}
          </button>
        </div>
      )}
      {(job.conversation?.length ?? 0) > 0 && <CloudConversation job={job} />}
      {inProgress && job.notice && (
        <p role="status" className="muted">
          {job.notice}
        </p>
      )}
      {job.state === 'choosing' && <TrackChoice job={job} />}
      {!inProgress && job.state !== 'choosing' && (
        <>
          {job.error ? <Alert message={job.error} /> : <p className="muted">{stateLabel(job.state)}</p>}
          <div className="job__actions">
            <button
              type="button"
              className="button"
              onClick={() => void run(() => sendMessage('jobs:retry', { jobId }))}
            >
              {i18n.t('jobs.retry')}
            </button>
            {job.offer === 'local' && (
              <button
                type="button"
                className="button"
                onClick={() => void run(() => sendMessage('jobs:retry', { jobId, engine: 'local' }))}
              >
                {i18n.t('jobs.convertLocally')}
              </button>
            )}
            {job.offer === 'cloud' && (
              <button
                type="button"
                className="button"
                aria-describedby={`${jobId}-cloud-cost`}
                onClick={() => void run(() => sendMessage('jobs:retry', { jobId, engine: 'cloud' }))}
              >
                {i18n.t('jobs.tryCloud')}
              </button>
            )}
            <button
              type="button"
              className="button button--quiet"
              onClick={() => void run(() => sendMessage('jobs:remove', { jobId }))}
            >
              {i18n.t('jobs.remove')}
            </button>
          </div>
        </>
      )}
      {job.offer === 'cloud' && !inProgress && (
        <p id={`${jobId}-cloud-cost`} className="muted">
          {i18n.t('jobs.cloudOfferNote', { cost })}
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
      <h2 id="jobs-heading">{i18n.t('jobs.heading')}</h2>
      <ul className="list">
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </ul>
    </section>
  );
}
