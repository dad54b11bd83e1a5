import { sendMessage } from '../messages';
import { HAND_OVER_CHANNEL, type HandOverMessage } from './channel';

/** Asked again this often until the site says it has the file: right after it starts it may not listen yet. */
const RETRY_MS = 50;
/** A site that hasn't taken the file by then won't: the page stores it itself. */
const GIVE_UP_MS = 3_000;

export type KeptOutcome = { kept: true } | { kept: false; diskFull: boolean };

/**
 * Hands `file` to the conversion site, which keeps it under `inputKey` and copies it into IndexedDB; the
 * background is asked to start the site if it isn't up.
 * Resolves once the site has the file, with how its copy ends (`onStored` hears how far it has got);
 * undefined when the site could not be reached.
 */
export async function handOver(
  file: File,
  inputKey: string,
  onStored: (bytes: number) => void,
): Promise<{ copied: Promise<KeptOutcome> } | undefined> {
  const channel = new BroadcastChannel(HAND_OVER_CHANNEL);
  let taken: () => void = () => undefined;
  let settle: (outcome: KeptOutcome) => void = () => undefined;
  const isTaken = new Promise<void>((resolve) => (taken = resolve));
  const copied = new Promise<KeptOutcome>((resolve) => (settle = resolve));
  channel.onmessage = ({ data }: MessageEvent<HandOverMessage>) => {
    if (data.inputKey !== inputKey) return;
    if (data.type === 'taken') taken();
    else if (data.type === 'stored') onStored(data.bytes);
    else if (data.type === 'kept') settle({ kept: true });
    else if (data.type === 'not-kept') settle({ kept: false, diskFull: data.diskFull });
  };
  const offer = () => channel.postMessage({ type: 'file', inputKey, file } satisfies HandOverMessage);
  // The site is most likely up already (the popup warmed it up as it opened): the file goes at once, and
  // again as soon as the site is known to be up.
  offer();
  const retries = setInterval(offer, RETRY_MS);
  void sendMessage('engine:open-site', undefined).then(offer, (error: unknown) =>
    console.warn('Opening the conversion site failed', error),
  );
  const gaveUp = new Promise<false>((resolve) => setTimeout(() => resolve(false), GIVE_UP_MS));
  const wasTaken = await Promise.race([isTaken.then(() => true), gaveUp]);
  clearInterval(retries);
  if (!wasTaken) {
    channel.close();
    return undefined;
  }
  return { copied: copied.finally(() => channel.close()) };
}
