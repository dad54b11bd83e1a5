import { useId, useState, type DragEvent } from 'react';
import { i18n } from '#i18n';
import { deleteBlob, DiskFullError, putBlobInParts } from '@/utils/blob-store';
import { sendMessage, type CommandReply } from '@/utils/messages';
import { handOver } from '@/utils/hand-over/hand-over';
import { Alert } from './Alert';
import { ProgressBar } from './ProgressBar';
import type { Trim } from '@/utils/trim';
import type { Fades } from '@/utils/fades';

interface StoredInput {
  inputKey: string;
  fileName: string;
  size: number;
}

/** How far the copy of a chosen file has got. */
export interface Copying {
  fileName: string;
  fraction: number;
}

/** Keeps a copy of the file in IndexedDB for its job, or says in plain words, naming it, why it can't. */
async function storeInput(
  file: File,
  onStored: (bytes: number) => void,
): Promise<{ stored: StoredInput } | { problem: string }> {
  const inputKey = crypto.randomUUID();
  try {
    await putBlobInParts('inputs', inputKey, file, onStored);
    return { stored: { inputKey, fileName: file.name, size: file.size } };
  } catch (error) {
    console.error(`Storing ${file.name} failed`, error);
    return { problem: notStoredProblem(file, error instanceof DiskFullError) };
  }
}

/** What the jobs are asked to do besides converting: NemoVideo instructions, or a trim and fades. */
export interface JobChoices {
  instructions?: string | undefined;
  trim?: Trim | undefined;
  fades?: Fades | undefined;
  exactCut?: true | undefined;
}

/** Starts a job for each stored input; when the queue can't take them, their copies are deleted again, as no job owns them. */
async function startStored(
  files: StoredInput[],
  { instructions, trim, fades, exactCut }: JobChoices,
): Promise<string | undefined> {
  let reply: CommandReply;
  try {
    reply = await sendMessage('jobs:start', {
      files,
      ...(instructions?.trim() ? { instructions: instructions.trim() } : {}),
      ...(trim ? { trim } : {}),
      ...(fades ? { fades } : {}),
      ...(exactCut ? { exactCut } : {}),
    });
  } catch (error) {
    console.error('Starting the jobs failed', error);
    reply = { ok: false, error: i18n.t('commandFailed') };
  }
  if (reply.ok) return undefined;
  await Promise.all(files.map(({ inputKey }) => deleteBlob('inputs', inputKey).catch(() => undefined)));
  return reply.error;
}

/** Why a file whose copy failed can't be converted, in plain words that name it. */
function notStoredProblem(file: File, diskFull: boolean): string {
  return i18n.t(diskFull ? 'popup.diskFull' : 'popup.notStored', { file: file.name });
}

/**
 * Hands `file` to the conversion site and queues its job at once: it converts from the File while its
 * copy into IndexedDB (for a job resumed after a restart) runs beside it. A copy that fails withdraws the
 * job. Undefined when the site could not take the file.
 */
async function startHandedOver(
  file: File,
  choices: JobChoices,
  onCopying: (copying: Copying) => void,
): Promise<{ problem?: string | undefined } | undefined> {
  const inputKey = crypto.randomUUID();
  const fraction = (bytes: number) => (file.size > 0 ? bytes / file.size : 1);
  const handed = await handOver(file, inputKey, (bytes) =>
    onCopying({ fileName: file.name, fraction: fraction(bytes) }),
  );
  if (!handed) return undefined;
  const started = await startStored([{ inputKey, fileName: file.name, size: file.size }], choices);
  const outcome = await handed.copied;
  return { problem: outcome.kept ? started : notStoredProblem(file, outcome.diskFull) };
}

/**
 * Hands the chosen files to the background queue; the bytes go through IndexedDB. Each file is
 * queued as soon as the conversion site has it, and the next is handed over once its copy is stored, so
 * the first converts while the next is copied, and one that can't be stored (a full disk) doesn't keep
 * the others from starting. Where the site can't take a file, the page stores it itself first.
 * Returns what went wrong, in plain words.
 */
export async function startJobs(
  files: File[],
  choices: JobChoices,
  onCopying: (copying: Copying) => void,
): Promise<string[]> {
  const problems = new Set<string>();
  for (const file of files) {
    onCopying({ fileName: file.name, fraction: 0 });
    const handed = await startHandedOver(file, choices, onCopying).catch((error: unknown) => {
      console.warn(`Handing ${file.name} to the conversion site failed`, error);
      return undefined;
    });
    if (handed) {
      if (handed.problem) problems.add(handed.problem);
      continue;
    }
    const outcome = await storeInput(file, (bytes) =>
      onCopying({ fileName: file.name, fraction: file.size > 0 ? bytes / file.size : 1 }),
    );
    const problem = 'stored' in outcome ? await startStored([outcome.stored], choices) : outcome.problem;
    if (problem) problems.add(problem);
  }
  return [...problems];
}

/**
 * `instructions`: what the user asked NemoVideo to do, sent with each file (cloud engine only).
 * `trim`: the part of the sound to keep; `blocked`: why nothing can be added now (a trim that can't be read).
 */
export function FilePicker({ instructions, trim, blocked }: { instructions?: string; trim?: Trim; blocked?: string }) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const [copying, setCopying] = useState<Copying>();
  const [problems, setProblems] = useState<string[]>([]);

  const add = async (files: File[]) => {
    if (files.length === 0) return;
    if (blocked) {
      setProblems([i18n.t('popup.fixTrimFirst', { problem: blocked })]);
      return;
    }
    setProblems([]);
    setProblems(await startJobs(files, { instructions, trim }, setCopying));
    setCopying(undefined);
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
      {copying ? (
        <ProgressBar
          label={i18n.t('popup.addingLabel', { file: copying.fileName })}
          activity={i18n.t('popup.adding')}
          fraction={copying.fraction}
        />
      ) : null}
      <p className="hint">
        {copying ? i18n.t('popup.addingLabel', { file: copying.fileName }) : i18n.t('popup.dropHint')}
      </p>
      {problems.map((problem, index) => (
        <Alert key={index} message={problem} />
      ))}
    </section>
  );
}
