import { useId, useState, type DragEvent } from 'react';
import { i18n } from '#i18n';
import { putBlob } from '@/utils/blob-store';
import { sendMessage } from '@/utils/messages';
import { useCommand } from './useCommand';
import { Alert } from './Alert';
import type { Trim } from '@/utils/trim';

/** Hands the chosen files to the background queue; the bytes go through IndexedDB. */
async function startJobs(files: File[], instructions: string | undefined, trim: Trim | undefined) {
  const stored = await Promise.all(
    files.map(async (file) => {
      const inputKey = crypto.randomUUID();
      await putBlob('inputs', inputKey, file);
      return { inputKey, fileName: file.name, size: file.size };
    }),
  );
  return sendMessage('jobs:start', {
    files: stored,
    ...(instructions?.trim() ? { instructions: instructions.trim() } : {}),
    ...(trim ? { trim } : {}),
  });
}

/**
 * `instructions`: what the user asked NemoVideo to do, sent with each file (cloud engine only).
 * `trim`: the part of the sound to keep; `blocked`: why nothing can be added now (a trim that can't be read).
 */
export function FilePicker({ instructions, trim, blocked }: { instructions?: string; trim?: Trim; blocked?: string }) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const [adding, setAdding] = useState(false);
  const { error, run } = useCommand();

  const add = async (files: File[]) => {
    if (files.length === 0) return;
    if (blocked) {
      await run(async () => ({ ok: false, error: i18n.t('popup.fixTrimFirst', { problem: blocked }) }) as const);
      return;
    }
    setAdding(true);
    await run(() => startJobs(files, instructions, trim));
    setAdding(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void add([...event.dataTransfer.files]);
  };

  return (
    <section
      className={`drop-zone${dragging ? ' drop-zone--active' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label htmlFor={inputId} className="button button--primary">
        {i18n.t('popup.chooseVideo')}
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept="video/*,.mp4,.mov,.m4v,.webm,.mkv,.avi,.ts,.mts,.m2ts"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          void add(files);
        }}
      />
      <p className="hint">{i18n.t(adding ? 'popup.adding' : 'popup.dropHint')}</p>
      <Alert message={error} />
    </section>
  );
}
