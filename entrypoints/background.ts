import { jobQueue } from '@/utils/jobs/queue';
import { pageJobs } from '@/utils/jobs/page-jobs';
import { createContextMenu, onContextMenuClick } from '@/utils/jobs/context-menu';
import { onMessage } from '@/utils/messages';
import { refreshCredits } from '@/utils/jobs/cloud/refresh-credits';
import { sendFollowUp } from '@/utils/jobs/cloud/follow-up';
import { conversionSite } from '@/utils/jobs/conversion-site';
import { markBadgeSeen, showJobsOnToolbar } from '@/utils/jobs/toolbar-badge';

export default defineBackground(() => {
  onMessage('jobs:start', (request) => jobQueue.start(request));
  onMessage('jobs:cancel', ({ jobId }) => jobQueue.cancel(jobId));
  onMessage('engine:warm-up', () => jobQueue.warmUp());
  onMessage('engine:open-site', () => jobQueue.openSite());
  onMessage('jobs:retry', ({ jobId, engine }) => jobQueue.retry(jobId, engine));
  onMessage('cloud:refresh-credits', () => refreshCredits());
  onMessage('cloud:send', ({ jobId, message }) => sendFollowUp(jobId, message));
  onMessage('cloud:export', ({ jobId }) => jobQueue.exportReviewed(jobId));
  onMessage('jobs:remove', ({ jobId }) => jobQueue.remove(jobId));
  onMessage('history:download-again', ({ entryId }) => jobQueue.downloadAgain(entryId));
  onMessage('history:download-zip', () => jobQueue.downloadAllAsZip());
  onMessage('history:show-in-folder', ({ entryId }) => jobQueue.showInFolder(entryId));
  onMessage('badge:seen', () => markBadgeSeen());
  // The frame that asks is the page the video is on: its address is the Referer its player sends.
  onMessage('page:extract-url', (request, sender) => pageJobs.extractUrl({ ...request, referrer: sender.url }));
  onMessage('jobs:add-link', async ({ url }) => {
    const reply = await pageJobs.extractUrl({ url });
    return reply.ok ? { ok: true } : reply;
  });
  onMessage('page:grant', () => pageJobs.grant());
  onMessage('jobs:choose-track', (choice) => jobQueue.chooseTrack(choice));
  onMessage('page:stop-recording', ({ jobId }) => jobQueue.stopRecording(jobId));
  onMessage('jobs:stop-recording', ({ jobId }) => jobQueue.stopRecording(jobId));
  onMessage('bridge:start', (request) => pageJobs.startHandedOver(request));
  showJobsOnToolbar();
  // A report that woke a stopped worker waits until recovery has looked at every job.
  const recovered = jobQueue.recover().catch((error: unknown) => console.error('Recovery failed', error));
  conversionSite.onReports({
    'job:progress': async (report) => {
      await recovered;
      await jobQueue.onProgress(report);
    },
    'job:converted': async (report) => {
      await recovered;
      await jobQueue.onConverted(report);
    },
    'job:failed': async (report) => {
      await recovered;
      await jobQueue.onFailed(report);
    },
    'job:tracks': async (report) => {
      await recovered;
      await jobQueue.onTracks(report);
    },
    'job:input-not-kept': async (report) => {
      await recovered;
      await jobQueue.onInputNotKept(report);
    },
  });
  browser.runtime.onInstalled.addListener(() => void createContextMenu());
  browser.contextMenus.onClicked.addListener((info, tab) => void onContextMenuClick(info, tab));
  // The e2e tests call the menu's handler the way a click does (a real context menu can't be opened headless).
  Object.assign(globalThis, { onContextMenuClick });
  browser.downloads.onChanged.addListener((delta) => void jobQueue.onDownloadChanged(delta));
  // Registering it makes Chrome start the worker with the browser, so jobs cut off by a quit resume at once.
  browser.runtime.onStartup.addListener(() => undefined);
});
