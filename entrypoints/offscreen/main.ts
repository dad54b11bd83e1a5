import { workerEngine } from '@/utils/engines/local/worker-engine';
import { onMessage } from '@/utils/messages';
import { deleteScratch } from '@/utils/blob-store';
import { reportToBackground } from '@/utils/site/conversions';
import { hostRequests, type HostRequestType } from '@/utils/site/host-requests';

// The document exists because a conversion is coming: a worker and its encoders start now. No MP3 is
// being written yet, so parts left behind by a document that was closed mid-job go.
const engine = workerEngine();
engine.warmUp?.();
void deleteScratch();
const requests = hostRequests(engine, reportToBackground);
for (const type of Object.keys(requests) as HostRequestType[]) onMessage(type, requests[type] as never);
