import { useId } from 'react';
import { i18n } from '#i18n';

/** The editor's **Choose video**: one file at a time (the page takes a dropped one too). */
export function VideoChooser({ onChoose }: { onChoose: (file: File) => void }) {
  const inputId = useId();
  return (
    <div className="editor__chooser drop-zone">
      <label htmlFor={inputId} className="button button--primary">
        {i18n.t('popup.chooseVideo')}
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        accept="video/*,.mp4,.mov,.m4v,.webm,.mkv,.avi,.ts,.mts,.m2ts"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) onChoose(file);
        }}
      />
      <p className="hint">{i18n.t('editor.dropHint')}</p>
    </div>
  );
}
