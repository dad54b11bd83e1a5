import { getSettings, resolveEngine } from '../../settings';
import { isActive } from '../job';
import { readJobs } from '../job-store';
import { conversionSite } from '../conversion-site';

/** Within the ~30 s Chrome gives an idle service worker, so the timer still fires. */
const IDLE_CLOSE_DELAY_MS = 20_000;
let idleClose: ReturnType<typeof setTimeout> | undefined;

/** The popup is open, so a conversion is likely: the local engine starts now and closes again when idle. */
export async function warmUp(): Promise<void> {
  const { engine } = await getSettings();
  if (resolveEngine(engine) !== 'local') return;
  await conversionSite.warmUp();
  closeWhenIdle();
}

/** A page is about to hand a file to the conversion site, whatever the engine: it is up when this resolves. */
export async function openSite(): Promise<void> {
  await conversionSite.warmUp();
  closeWhenIdle();
}

/** Closes the conversion site once nothing has needed it for a while, so the next job starts warm. */
export function closeWhenIdle(): void {
  clearTimeout(idleClose);
  idleClose = setTimeout(
    () => void closeIfIdle().catch((error: unknown) => console.error('Closing when idle failed', error)),
    IDLE_CLOSE_DELAY_MS,
  );
}

async function closeIfIdle(): Promise<void> {
  const busy = (await readJobs()).some((job) => job.state === 'queued' || isActive(job));
  if (busy) return;
  const ownBlobUrl = `blob:${new URL(browser.runtime.getURL('/')).origin}`;
  const downloading = await browser.downloads.search({ state: 'in_progress' });
  if (downloading.some((item) => item.url.startsWith(ownBlobUrl))) return;
  await conversionSite.close();
}
