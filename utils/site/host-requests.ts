import type { Engine } from '../engines/engine';
import { getBlob, putBlob } from '../blob-store';
import { failureReasonOf } from '../failures';
import type { MessageData, MessageType, ReplyOf } from '../messages';
import { ConversionHost, readInput, type Report } from './conversions';
import { zipStoredOutputs } from './zip';

/** What the job queue asks of the place where local conversions run. */
export type HostRequestType = Extract<MessageType, `site:${string}`>;
export type HostRequests = { [T in HostRequestType]: (data: MessageData<T>) => ReplyOf<T> | Promise<ReplyOf<T>> };

/** Answers every host request with `engine`: in Chromium's offscreen document, or in Firefox's background page. */
export function hostRequests(engine: Engine, report: Report): HostRequests {
  const host = new ConversionHost(engine, report);
  return {
    'site:convert': (request) => host.start(request),
    'site:cancel': ({ jobId }) => host.cancel(jobId),
    'site:running': () => host.runningJobIds(),
    'site:object-url': async ({ outputKey }) => {
      const blob = await getBlob('outputs', outputKey);
      if (!blob) throw new Error(`No stored output ${outputKey}`);
      return URL.createObjectURL(blob);
    },
    'site:zip-url': async ({ entries }) => URL.createObjectURL(await zipStoredOutputs(entries)),
    'site:adopt': async ({ blobUrl, inputKey }) => {
      try {
        await putBlob('inputs', inputKey, await (await fetch(blobUrl)).blob());
        return { ok: true };
      } catch (error) {
        console.error('Keeping a handed-over file failed', error);
        return { ok: false, reason: failureReasonOf(error) };
      }
    },
    'site:upload': (request) => host.upload(request),
    'site:fetch-input': async ({ jobId, source }) => {
      try {
        await readInput(jobId, source, new AbortController().signal, report);
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: failureReasonOf(error) };
      }
    },
    'site:revoke-url': ({ url }) => URL.revokeObjectURL(url),
    'site:stop-recording': ({ jobId }) => host.stopRecording(jobId),
  };
}
