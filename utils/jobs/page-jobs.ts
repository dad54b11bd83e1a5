import { storage } from 'wxt/utils/storage';
import { oneAtATime } from '../one-at-a-time';
import type { MessageData, StartReply } from '../messages';
import { namesForStream, namesForUrl, streamFormatOf } from '../page/source-name';
import { jobQueue } from './queue';
import { conversionSite } from './conversion-site';
import { i18n } from '#i18n';
import { deleteBlob } from '../blob-store';

interface PageVideo {
  url: string;
  pageTitle?: string;
  referrer?: string;
  language?: string;
  stream?: 'hls' | 'dash';
  poster?: string;
}

const GRANT_LIFETIME_MS = 2 * 60 * 1000;

/** One-time grants for the bridge frame, in session storage, which content scripts and pages can't read. */
const grantsItem = storage.defineItem<Record<string, number>>('session:bridge-grants', { fallback: {} });

const exclusive = oneAtATime();

/** Reads and changes the grants with no other change in between. */
function withGrants<T>(change: (grants: Record<string, number>) => T): Promise<T> {
  return exclusive(async () => {
    const grants = { ...(await grantsItem.getValue()) };
    const result = change(grants);
    await grantsItem.setValue(grants);
    return result;
  });
}

/** Deletes the copies of handed-over files that no job will own. */
async function forget(adopted: { source: { inputKey: string } }[]): Promise<void> {
  await Promise.all(adopted.map(({ source }) => deleteBlob('inputs', source.inputKey).catch(() => undefined)));
}

/** Jobs started from web pages: the in-page button and the context menu. */
export const pageJobs = {
  /**
   * A web video or a streamed one (an HLS or DASH manifest, by its address or as the page said). `referrer` is
   * the page it is on, when it came from one: its fetches are sent as the page's player sends them.
   */
  async extractUrl({ url, pageTitle, referrer, language, stream, poster }: PageVideo): Promise<StartReply> {
    const web = referrer && /^https?:/i.test(referrer) ? referrer : undefined;
    const format = stream ?? streamFormatOf(url);
    if (format) {
      const { sourceName, outputName } = namesForStream(pageTitle, url);
      const source = {
        kind: 'stream' as const,
        url,
        format,
        ...(web && { referrer: web }),
        ...(language && { language: language.slice(0, 35) }),
        ...(poster && { poster }),
      };
      return { ok: true, jobIds: await jobQueue.add([{ sourceName, outputName, size: 0, source }]) };
    }
    const { sourceName, outputName } = namesForUrl(url, pageTitle);
    const source = { kind: 'url' as const, url, ...(web && { referrer: web }), ...(poster && { poster }) };
    return { ok: true, jobIds: await jobQueue.add([{ sourceName, outputName, size: 0, source }]) };
  },

  grant(): Promise<string> {
    const grant = `${crypto.randomUUID()}${crypto.randomUUID()}`;
    const now = Date.now();
    return withGrants((grants) => {
      for (const [key, issued] of Object.entries(grants)) if (now - issued >= GRANT_LIFETIME_MS) delete grants[key];
      grants[grant] = now;
      return grant;
    });
  },

  async startHandedOver({ grant, files }: MessageData<'bridge:start'>): Promise<StartReply> {
    const issued = await withGrants((grants) => {
      const value = grants[grant];
      delete grants[grant];
      return value;
    });
    if (issued === undefined || Date.now() - issued > GRANT_LIFETIME_MS) {
      return { ok: false, error: i18n.t('page.expired') };
    }
    const adopted: { sourceName: string; size: number; source: { kind: 'stored-file'; inputKey: string } }[] = [];
    for (const file of files) {
      const inputKey = crypto.randomUUID();
      const kept = await conversionSite
        .send('site:adopt', { blobUrl: file.blobUrl, inputKey })
        .catch((error: unknown) => {
          console.error('Handing over a file failed', error);
          return undefined;
        });
      if (!kept?.ok) {
        // The button stands for all of the input's files: none start and no copies stay, so pressing it again starts them all.
        await forget(adopted);
        return {
          ok: false,
          error:
            kept?.reason === 'disk-full'
              ? i18n.t('page.diskFull', { file: file.fileName })
              : i18n.t('page.handOverFailed'),
        };
      }
      adopted.push({ sourceName: file.fileName, size: file.size, source: { kind: 'stored-file', inputKey } });
    }
    return { ok: true, jobIds: await jobQueue.add(adopted) };
  },
};
