import { localEngine } from '@/utils/engines/local/local-engine';
import { onMessage } from '@/utils/messages';
import { reportToBackground } from '@/utils/offscreen/conversions';
import { hostRequests, type HostRequestType } from '@/utils/offscreen/host-requests';

const requests = hostRequests(localEngine, reportToBackground);
for (const type of Object.keys(requests) as HostRequestType[]) onMessage(type, requests[type] as never);
