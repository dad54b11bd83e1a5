import { i18n } from '#i18n';
import { jobsItem } from '@/utils/jobs/job-store';
import { historyItem } from '@/utils/jobs/history';
import { AppIcon } from './AppIcon';
import { FilePicker } from './FilePicker';
import { readTrim, TrimFields, type TrimText } from './TrimFields';
import { JobList } from './JobList';
import { VideoLink } from './VideoLink';
import { CompletedDownloads } from './CompletedDownloads';
import { useStorageItem } from './useStorageItem';
import { CloudCredits, useCloudCost } from './CloudCredits';
import { useId, useState } from 'react';
import { readSettings, settingsItem } from '@/utils/settings';

/** What to ask NemoVideo for, in the user's own words; sent with the next videos chosen. */
function Instructions({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  const cost = useCloudCost();
  return (
    <div className="field instructions">
      <label htmlFor={id}>{i18n.t('popup.instructions')}</label>
      <textarea
        id={id}
        rows={2}
        value={value}
        placeholder={i18n.t('popup.instructionsPlaceholder')}
        aria-describedby={`${id}-cost`}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
      <p id={`${id}-cost`} className="muted">
        {i18n.t('popup.instructionsNote', { cost })}
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
        <h1 className="title">
          <AppIcon />
          {i18n.t('extName')}
        </h1>
        <span>
          <a
            className="button button--quiet"
            href={browser.runtime.getURL('/editor.html')}
            target="_blank"
            rel="noreferrer"
          >
            {i18n.t('popup.editVideo')}
          </a>
          <button type="button" className="button button--quiet" onClick={() => void browser.runtime.openOptionsPage()}>
            {i18n.t('popup.settings')}
          </button>
        </span>
      </header>
      {settings?.engine === 'cloud' && <CloudCredits />}
      {settings?.engine === 'cloud' && <Instructions value={instructions} onChange={setInstructions} />}
      {settings?.engine !== 'cloud' && <TrimFields value={trimText} error={trim.error} onChange={setTrimText} />}
      <FilePicker
        instructions={settings?.engine === 'cloud' ? instructions : undefined}
        {...(settings?.engine !== 'cloud' ? { trim: trim.trim, blocked: trim.error } : {})}
      />
      <VideoLink />
      <JobList jobs={jobList} />
      <CompletedDownloads entries={history ?? []} />
    </main>
  );
}
