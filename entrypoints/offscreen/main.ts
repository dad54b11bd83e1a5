import { localEngine } from '@/utils/engines/local/local-engine';
import { onMessage } from '@/utils/messages';
import { reportToBackground } from '@/utils/offscreen/conversions';
import { hostRequests, type HostRequestType } from '@/utils/offscreen/host-requests';

// The document exists because a conversion is coming: its encoders start now.
localEngine.warmUp?.();
const requests = hostRequests(localEngine, reportToBackground);
for (const type of Object.keys(requests) as HostRequestType[]) onMessage(type, requests[type] as never);
