import { useState, type DragEvent } from 'react';
import { i18n } from '#i18n';
import { jobsItem } from '@/utils/jobs/job-store';
import { historyItem } from '@/utils/jobs/history';
import { JobList } from '../JobList';
import { CompletedDownloads } from '../CompletedDownloads';
import { useStorageItem } from '../useStorageItem';
import { VideoChooser } from './VideoChooser';
import { CutEditor } from './CutEditor';
import { AppIcon } from '../AppIcon';

/** The editor page: a video's sound as a waveform, a part of it chosen, heard and saved as an MP3. */
export function EditorApp() {
  const jobs = useStorageItem(jobsItem);
  const history = useStorageItem(historyItem);
  const [chosen, setChosen] = useState<{ file: File; url: string; key: number }>();
  const [dragging, setDragging] = useState(false);
  const jobList = Object.values(jobs ?? {}).sort((a, b) => a.createdAt - b.createdAt);

  // The video plays from a blob URL of the chosen file itself: nothing is copied to show it.
  const choose = (file: File) => {
    if (chosen) URL.revokeObjectURL(chosen.url);
    setChosen({ file, url: URL.createObjectURL(file), key: (chosen?.key ?? 0) + 1 });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) choose(file);
  };

  return (
    <main
      className={`editor${dragging ? ' editor--dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="header">
        <h1 className="title">
          <AppIcon />
          {i18n.t('editor.heading')}
        </h1>
        <button type="button" className="button button--quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t('popup.settings')}
        </button>
      </header>
      <p className="muted">{i18n.t('editor.intro')}</p>
      <VideoChooser onChoose={choose} />
      {chosen && <CutEditor key={chosen.key} file={chosen.file} videoUrl={chosen.url} />}
      <JobList jobs={jobList} />
      <CompletedDownloads entries={history ?? []} />
    </main>
  );
}
