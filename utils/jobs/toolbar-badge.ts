import { storage } from 'wxt/utils/storage';
import { i18n } from '#i18n';
import { oneAtATime } from '../one-at-a-time';
import { isActive, type Job } from './job';
import { jobsItem, readJobs } from './job-store';
import { historyItem, readHistory, type HistoryEntry } from './history';

/** How long the tick stays on the toolbar button after an MP3 lands. */
export const TICK_MS = 10_000;
const COLOURS = { converting: '#0b63ce', saved: '#188038', failed: '#c5221f' };

/** When the popup was last opened: what failed or landed before then has been seen. */
const seenAtItem = storage.defineItem<number>('local:badge-seen-at', { fallback: 0 });

export interface Badge {
  text: string;
  colour: string;
  title: string;
  /** When the badge changes with nothing else happening: the tick goes. */
  changesAt?: number;
}

/** What the toolbar button shows for the queue's jobs and Completed downloads (newest first). */
export function badgeFor(jobs: readonly Job[], history: readonly HistoryEntry[], seenAt: number, now: number): Badge {
  // A job waiting for its sound track to be chosen is still to be done.
  const converting = jobs.filter((job) => job.state === 'queued' || job.state === 'choosing' || isActive(job)).length;
  const failed = jobs.filter(
    (job) => (job.state === 'failed' || job.state === 'interrupted') && job.updatedAt > seenAt,
  ).length;
  const landed = history.find((entry) => entry.completedAt > seenAt && now - entry.completedAt < TICK_MS);
  const title = (status: string) => i18n.t('badge.title', { status });
  const convertingStatus = i18n.t('badge.converting', converting, { count: converting });
  const failedStatus = i18n.t('badge.failed', failed, { count: failed });
  if (converting > 0) {
    const status =
      failed > 0
        ? i18n.t('badge.convertingAndFailed', { converting: convertingStatus, failed: failedStatus })
        : convertingStatus;
    return { text: String(converting), colour: COLOURS.converting, title: title(status) };
  }
  if (failed > 0) return { text: '!', colour: COLOURS.failed, title: title(failedStatus) };
  if (landed) {
    return {
      text: '✓',
      colour: COLOURS.saved,
      title: title(i18n.t('badge.saved', { file: landed.fileName })),
      changesAt: landed.completedAt + TICK_MS,
    };
  }
  return { text: '', colour: COLOURS.converting, title: i18n.t('extName') };
}

/** The popup was opened: the tick and the failure mark have been seen. */
export async function markBadgeSeen(): Promise<void> {
  await seenAtItem.setValue(Date.now());
}

/** Keeps the toolbar button (the same on every tab) in step with the job queue, from the background. */
export function showJobsOnToolbar(): void {
  const exclusive = oneAtATime();
  let tickTimer: ReturnType<typeof setTimeout> | undefined;
  const render = () =>
    exclusive(async () => {
      const [jobs, history, seenAt] = await Promise.all([readJobs(), readHistory(), seenAtItem.getValue()]);
      const now = Date.now();
      const badge = badgeFor(jobs, history, seenAt, now);
      await Promise.all([
        browser.action.setBadgeText({ text: badge.text }),
        browser.action.setBadgeBackgroundColor({ color: badge.colour }),
        browser.action.setBadgeTextColor?.({ color: '#ffffff' }),
        browser.action.setTitle({ title: badge.title }),
      ]);
      clearTimeout(tickTimer);
      if (badge.changesAt !== undefined) tickTimer = setTimeout(() => void render(), badge.changesAt - now);
    }).catch((error: unknown) => console.error('Updating the toolbar button failed', error));
  jobsItem.watch(() => void render());
  historyItem.watch(() => void render());
  seenAtItem.watch(() => void render());
  void render();
}
