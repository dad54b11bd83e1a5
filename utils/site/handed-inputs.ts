import { DiskFullError, putBlobInParts } from '../blob-store';
import { HAND_OVER_CHANNEL, type HandOverMessage } from '../hand-over/channel';

/** Files pages handed to this conversion site, by input key, until their job has its MP3. */
const files = new Map<string, File>();
/** Input keys whose copy into IndexedDB failed: their jobs don't run. */
const notKept = new Set<string>();
let channel: BroadcastChannel | undefined;

/**
 * Takes the files pages hand over (`utils/hand-over/`): each converts from the File at once, while its
 * copy into IndexedDB, which only a job resumed after a restart needs, runs beside it. A copy that fails
 * (a full disk) tells the page, which names the file, and `onNotKept`, which withdraws its job.
 */
export function takeHandedInputs(onNotKept: (inputKey: string) => void): void {
  if (channel) return;
  const site = (channel = new BroadcastChannel(HAND_OVER_CHANNEL));
  const post = (message: HandOverMessage) => site.postMessage(message);
  site.onmessage = ({ data }: MessageEvent<HandOverMessage>) => {
    if (data.type !== 'file') return;
    const { inputKey, file } = data;
    post({ type: 'taken', inputKey });
    // The page offers the file until it hears it was taken.
    if (files.has(inputKey) || notKept.has(inputKey)) return;
    files.set(inputKey, file);
    putBlobInParts('inputs', inputKey, file, (bytes) => post({ type: 'stored', inputKey, bytes })).then(
      () => post({ type: 'kept', inputKey }),
      (error: unknown) => {
        console.error(`Storing ${file.name} failed`, error);
        files.delete(inputKey);
        notKept.add(inputKey);
        post({ type: 'not-kept', inputKey, diskFull: error instanceof DiskFullError });
        onNotKept(inputKey);
      },
    );
  };
}

/** The File handed over under `inputKey`, while this site has it. */
export function handedFile(inputKey: string): File | undefined {
  return files.get(inputKey);
}

/** Whether the copy of the file handed over under `inputKey` failed, so its job is not to run. */
export function wasNotKept(inputKey: string): boolean {
  return notKept.has(inputKey);
}

/** The job has its MP3: from now on its input, if ever needed again, is the stored copy. */
export function releaseHandedFile(inputKey: string): void {
  files.delete(inputKey);
}
