import { i18n } from '#i18n';
import type { Job } from '../jobs/job';
import { formatDuration } from '../format';
import { sendMessage } from '../messages';
import { jobsItem } from '../jobs/job-store';
import { readHistory } from '../jobs/history';
import type { ExtractButton } from './extract-button';

const waitingLabels = {
  queued: 'page.waiting',
  reading: 'page.reading',
  converting: 'page.converting',
  saving: 'page.saving',
  choosing: 'tracks.chooseInPopup',
} as const satisfies Partial<Record<Job['state'], string>>;

function progressLabel(job: Job, downloading: boolean): string {
  if (downloading) return i18n.t('page.downloading');
  return job.state in waitingLabels
    ? i18n.t(waitingLabels[job.state as keyof typeof waitingLabels])
    : i18n.t('page.working');
}

/** Mirrors a job the queue runs on the button that started it, until it ends. */
export function followJob(jobId: string, button: ExtractButton): void {
  const render = async (jobs: Record<string, Job>) => {
    const job = jobs[jobId];
    if (!job) {
      unwatch();
      const entry = (await readHistory()).find((candidate) => candidate.id === jobId);
      if (entry)
        button.showDone(i18n.t(entry.stoppedEarly ? 'page.savedStoppedEarly' : 'page.saved', { file: entry.fileName }));
      return;
    }
    if (job.state === 'failed' || job.state === 'interrupted') {
      unwatch();
      button.showError(job.error ?? i18n.t('page.failed'));
    } else if (job.state === 'cancelled') {
      unwatch();
      button.showDone(i18n.t('page.cancelled'));
    } else if (job.state === 'reading' && job.recording) {
      const label = i18n.t('page.recording', { time: formatDuration(job.recording.seconds) });
      button.showRecording(label, () => void sendMessage('page:stop-recording', { jobId }).catch(() => undefined));
    } else {
      const downloading = job.state === 'reading' && job.source.kind !== 'stored-file' && job.progress > 0;
      const percent = job.state === 'converting' || downloading ? Math.round(job.progress * 100) : undefined;
      button.showProgress(progressLabel(job, downloading), percent);
    }
  };
  const unwatch = jobsItem.watch((jobs) => void render(jobs ?? {}));
  void jobsItem.getValue().then((jobs) => render(jobs));
}
