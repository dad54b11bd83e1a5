import { NemoVideoClient } from '../../engines/cloud/client';
import { credentialStore } from '../../engines/cloud/credential-store';
import { getSettings } from '../../settings';
import { currentLimits } from '../../limits-override';
import { i18n } from '#i18n';
import { RUNNING_STATES } from '../job';
import { patchJob } from '../job-store';

/** A NemoVideo client with the user's settings; a rate limit shows as a passing note on job `jobId`. */
export async function createClient(jobId?: string): Promise<NemoVideoClient> {
  const [{ cloudBaseUrl }, limits] = await Promise.all([getSettings(), currentLimits()]);
  return new NemoVideoClient({
    limits,
    onRateLimited: (waitMs) => {
      if (!jobId) return;
      const notice = i18n.t('conversation.slowDown', { seconds: Math.ceil(waitMs / 1000) });
      void patchJob(jobId, RUNNING_STATES, { notice });
      setTimeout(() => void patchJob(jobId, RUNNING_STATES, { notice: undefined }), waitMs);
    },
    baseUrl: cloudBaseUrl,
    version: browser.runtime.getManifest().version,
    platform: import.meta.env.FIREFOX ? 'firefox-extension' : 'chrome-extension',
    credentials: credentialStore,
  });
}
