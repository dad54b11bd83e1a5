import { storage } from 'wxt/utils/storage';
import { oneAtATime } from '../one-at-a-time';
import type { Job } from './job';

/** The session rule of each job that fetches as its page: job id → rule id. */
const rulesItem = storage.defineItem<Record<string, number>>('session:page-header-rules', { fallback: {} });
const exclusive = oneAtATime();

const dnr = () => (globalThis.chrome as typeof chrome | undefined)?.declarativeNetRequest;

/**
 * Many video servers answer only to their own pages (hotlink protection checks the Referer or Origin).
 * The extension's own fetches carry neither, so while a job runs, a session rule sets them, as the
 * page's player sends them, on the extension's requests (no tab) to the video's host, and nothing else.
 */
export function fetchAsThePage(job: Pick<Job, 'id' | 'source'>): Promise<void> {
  const { source } = job;
  if (source.kind === 'stored-file' || !source.referrer) return Promise.resolve();
  const referrer = source.referrer;
  const api = dnr();
  if (!api) return Promise.resolve();
  return exclusive(async () => {
    const rules = { ...(await rulesItem.getValue()) };
    const id = rules[job.id] ?? Math.max(0, ...Object.values(rules)) + 1;
    try {
      await api.updateSessionRules({
        removeRuleIds: [id],
        addRules: [
          {
            id,
            priority: 1,
            action: {
              type: 'modifyHeaders',
              requestHeaders: [
                {
                  header: 'referer',
                  operation: 'set',
                  value: referrer,
                },
                {
                  header: 'origin',
                  operation: 'set',
                  value: new URL(referrer).origin,
                },
              ],
            },
            condition: {
              // The poster, the page's cover for the MP3, may come from another host than the video.
              requestDomains: [
                ...new Set([source.url, source.poster ?? source.url].map((url) => new URL(url).hostname)),
              ],
              // The extension's own origin's host: its id in Chromium, its per-profile UUID in Firefox
              // (whose add-on id, `…@…`, is no request's initiator).
              initiatorDomains: [new URL(browser.runtime.getURL('/')).hostname],
              tabIds: [-1],
            },
          },
        ],
      });
      rules[job.id] = id;
      await rulesItem.setValue(rules);
    } catch (error) {
      // Without the rule the video is fetched as before: most servers don't check.
      console.error('Could not add the Referer rule', error);
    }
  });
}

/** Drops the rules of jobs that no longer fetch anything. */
export function dropPageHeaders(activeJobIds: ReadonlySet<string>): Promise<void> {
  const api = dnr();
  if (!api) return Promise.resolve();
  return exclusive(async () => {
    const rules = { ...(await rulesItem.getValue()) };
    const ended = Object.keys(rules).filter((jobId) => !activeJobIds.has(jobId));
    if (ended.length === 0) return;
    await api.updateSessionRules({ removeRuleIds: ended.map((jobId) => rules[jobId]!) }).catch(() => undefined);
    for (const jobId of ended) delete rules[jobId];
    await rulesItem.setValue(rules);
  });
}
