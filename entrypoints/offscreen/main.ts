import { getBlob, putBlob } from '@/utils/blob-store';
import { localEngine } from '@/utils/engines/local/local-engine';
import { onMessage } from '@/utils/messages';
import { ConversionHost, readInput, uploadInput } from '@/utils/offscreen/conversions';
import { failureReasonOf } from '@/utils/failures';

const host = new ConversionHost(localEngine);

onMessage('offscreen:convert', (request) => host.start(request));
onMessage('offscreen:cancel', ({ jobId }) => host.cancel(jobId));
onMessage('offscreen:running', () => host.runningJobIds());
onMessage('offscreen:object-url', async ({ outputKey }) => {
  const blob = await getBlob('outputs', outputKey);
  if (!blob) throw new Error(`No stored output ${outputKey}`);
  return URL.createObjectURL(blob);
});
onMessage('offscreen:adopt', async ({ blobUrl, inputKey }) => {
  await putBlob('inputs', inputKey, await (await fetch(blobUrl)).blob());
});
onMessage('offscreen:upload', uploadInput);
onMessage('offscreen:fetch-input', async ({ jobId, source }) => {
  try {
    await readInput(jobId, source, new AbortController().signal);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: failureReasonOf(error) };
  }
});
onMessage('offscreen:revoke-url', ({ url }) => URL.revokeObjectURL(url));
