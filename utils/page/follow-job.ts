import type { Job } from '../jobs/job';
import { jobsItem } from '../jobs/job-store';
import { readHistory } from '../jobs/history';
import type { ExtractButton } from './extract-button';

const waitingLabels: Partial<Record<Job['state'], string>> = {
  queued: 'Waiting…',
  reading: 'Reading…',
  converting: 'Extracting…',
  saving: 'Saving…',
};

/** Mirrors a job the queue runs on the button that started it, until it ends. */
export function followJob(jobId: string, button: ExtractButton): void {
  const render = async (jobs: Record<string, Job>) => {
    const job = jobs[jobId];
    if (!job) {
      unwatch();
      const entry = (await readHistory()).find((candidate) => candidate.id === jobId);
      if (entry) button.showDone(`Saved ${entry.fileName} to your downloads.`);
      return;
    }
    if (job.state === 'failed' || job.state === 'interrupted') {
      unwatch();
      button.showError(job.error ?? 'The MP3 could not be made. Open the extension’s popup to retry.');
    } else if (job.state === 'cancelled') {
      unwatch();
      button.showDone('Cancelled.');
    } else {
      const downloading = job.state === 'reading' && job.source.kind === 'url' && job.progress > 0;
      const percent = job.state === 'converting' || downloading ? Math.round(job.progress * 100) : undefined;
      button.showProgress(downloading ? 'Downloading…' : (waitingLabels[job.state] ?? 'Working…'), percent);
    }
  };
  const unwatch = jobsItem.watch((jobs) => void render(jobs ?? {}));
  void jobsItem.getValue().then((jobs) => render(jobs));
}
