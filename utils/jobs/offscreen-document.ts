import { onMessage, sendMessage, type MessageData } from '../messages';
import type { HostRequestType } from '../site/host-requests';
import type { ReportType } from '../site/conversions';
import { sleep, within } from '../timing/timeout';
import type { ConversionSite } from './conversion-site-type';

const DOCUMENT_PATH = 'offscreen.html';
const SEND_ATTEMPTS = 5;
/** A document that can't say what it runs in this time is busy beyond answering (or frozen). */
const RUNNING_QUERY_TIMEOUT_MS = 3_000;

let creating: Promise<void> | undefined;

async function documentExists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  return contexts.length > 0;
}

/** Chrome allows one offscreen document per extension: create it once, even when asked twice at once. */
async function ensureDocument(): Promise<void> {
  if (await documentExists()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: DOCUMENT_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.BLOBS],
      justification: 'Decodes videos and encodes MP3 on this device (WebCodecs and WebAssembly workers).',
    })
    .finally(() => (creating = undefined));
  await creating;
}

/** Chromium: local conversions run in the offscreen document, reached by runtime messages. */
export const offscreenDocument: ConversionSite = {
  async send<T extends HostRequestType>(type: T, data: MessageData<T>) {
    for (let attempt = 1; ; attempt++) {
      try {
        // Again on every attempt: an idle close may have just removed the document.
        await ensureDocument();
        return await sendMessage(type, data);
      } catch (error) {
        // Right after creation the document may not be listening yet.
        if (attempt >= SEND_ATTEMPTS || !String(error).includes('Receiving end does not exist')) throw error;
        await sleep(100 * attempt);
      }
    }
  },

  async runningJobIds(): Promise<string[]> {
    if (!(await documentExists())) return [];
    const running = await within(sendMessage('site:running', undefined), RUNNING_QUERY_TIMEOUT_MS, () => {
      throw new Error('The offscreen document did not say what it runs');
    });
    return running ?? [];
  },

  async cancel(jobId: string): Promise<void> {
    if (await documentExists()) await sendMessage('site:cancel', { jobId });
  },

  async warmUp(): Promise<void> {
    await ensureDocument();
  },

  async close(): Promise<void> {
    if (await documentExists()) await chrome.offscreen.closeDocument();
  },

  onReports(handlers) {
    for (const type of Object.keys(handlers) as ReportType[]) onMessage(type, handlers[type] as never);
  },
};
