import { jobsItem } from '@/utils/jobs/job-store';
import { historyItem } from '@/utils/jobs/history';
import { FilePicker } from './FilePicker';
import { JobList } from './JobList';
import { CompletedDownloads } from './CompletedDownloads';
import { useStorageItem } from './useStorageItem';
import { CloudCredits } from './CloudCredits';
import { readSettings, settingsItem } from '@/utils/settings';

export function PopupApp() {
  const jobs = useStorageItem(jobsItem);
  const history = useStorageItem(historyItem);
  const settings = useStorageItem(settingsItem, readSettings);
  const jobList = Object.values(jobs ?? {}).sort((a, b) => a.createdAt - b.createdAt);

  return (
    <main className="popup">
      <header className="header">
        <h1>Video to MP3</h1>
        <button type="button" className="button button--quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          Settings
        </button>
      </header>
      {settings?.engine === 'cloud' && <CloudCredits />}
      <FilePicker />
      <JobList jobs={jobList} />
      <CompletedDownloads entries={history ?? []} />
    </main>
  );
}
