import { jobsItem } from '@/utils/jobs/job-store';
import { historyItem } from '@/utils/jobs/history';
import { FilePicker } from './FilePicker';
import { readTrim, TrimFields, type TrimText } from './TrimFields';
import { JobList } from './JobList';
import { CompletedDownloads } from './CompletedDownloads';
import { useStorageItem } from './useStorageItem';
import { CloudCost, CloudCredits } from './CloudCredits';
import { useId, useState } from 'react';
import { readSettings, settingsItem } from '@/utils/settings';

/** What to ask NemoVideo for, in the user's own words; sent with the next videos chosen. */
function Instructions({ value, onChange }: { value: string; onChange(value: string): void }) {
  const id = useId();
  return (
    <div className="field instructions">
      <label htmlFor={id}>Instructions (optional)</label>
      <textarea
        id={id}
        rows={2}
        value={value}
        placeholder="For example: just the audio from 0:30 to 2:00, a bit louder, fade out at the end"
        aria-describedby={`${id}-cost`}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
      <p id={`${id}-cost`} className="muted">
        Editing with instructions: <CloudCost /> Exporting is free. You can send more before exporting.
      </p>
    </div>
  );
}

export function PopupApp() {
  const jobs = useStorageItem(jobsItem);
  const history = useStorageItem(historyItem);
  const settings = useStorageItem(settingsItem, readSettings);
  const [instructions, setInstructions] = useState('');
  const [trimText, setTrimText] = useState<TrimText>({ start: '', end: '' });
  const trim = readTrim(trimText);
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
      {settings?.engine === 'cloud' && <Instructions value={instructions} onChange={setInstructions} />}
      {settings?.engine !== 'cloud' && <TrimFields value={trimText} onChange={setTrimText} />}
      <FilePicker
        instructions={settings?.engine === 'cloud' ? instructions : undefined}
        {...(settings?.engine !== 'cloud' ? { trim: trim.trim, blocked: trim.error } : {})}
      />
      <JobList jobs={jobList} />
      <CompletedDownloads entries={history ?? []} />
    </main>
  );
}
