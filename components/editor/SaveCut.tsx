import { useState } from 'react';
import { i18n } from '#i18n';
import type { Fades } from '@/utils/fades';
import type { Trim } from '@/utils/trim';
import { startJobs, type Copying } from '../FilePicker';
import { ProgressBar } from '../ProgressBar';
import { Alert } from '../Alert';

/**
 * **Save MP3**: the file is copied into the extension's storage as the popup copies it, then queued
 * with the cut and the fades; the job shows in the job list with its progress and **Cancel**.
 */
export function SaveCut({
  file,
  trim,
  fades,
  blocked,
}: {
  file: File;
  trim: Trim;
  fades: Fades | undefined;
  blocked: string | undefined;
}) {
  const [copying, setCopying] = useState<Copying>();
  const [problems, setProblems] = useState<string[]>([]);
  const save = async () => {
    if (blocked) {
      setProblems([blocked]);
      return;
    }
    setProblems([]);
    setProblems(await startJobs([file], { trim, fades, exactCut: true }, setCopying));
    setCopying(undefined);
  };
  return (
    <div className="save-cut">
      <button
        type="button"
        className="button button--primary"
        disabled={copying !== undefined}
        onClick={() => void save()}
      >
        {i18n.t('editor.save')}
      </button>
      {copying ? (
        <ProgressBar
          label={i18n.t('popup.addingLabel', { file: copying.fileName })}
          activity={i18n.t('popup.adding')}
          fraction={copying.fraction}
        />
      ) : (
        <p className="muted">{i18n.t('editor.saveNote')}</p>
      )}
      {problems.map((problem, index) => (
        <Alert key={index} message={problem} />
      ))}
    </div>
  );
}
