import { hasBlob } from '../../blob-store';
import type { CommandReply } from '../../messages';
import { i18n } from '#i18n';
import { markNotStored, readHistory } from '../history';
import { conversionSite } from '../conversion-site';
import { ok, refuse } from './replies';

const pad = (value: number) => String(value).padStart(2, '0');

/** `MP3s 2026-12-03.zip`. */
function zipName(at: Date): string {
  return `MP3s ${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}.zip`;
}

/**
 * **Download all as ZIP** in Completed downloads: one ZIP of every MP3 still stored, newest first,
 * made where blobs can be (the conversion site), then handed to the downloads API like an MP3.
 */
export async function downloadAllAsZip(): Promise<CommandReply> {
  const entries = (await readHistory()).filter((entry) => entry.stored);
  const gone: string[] = [];
  const stored = [];
  for (const entry of entries) {
    if (await hasBlob('outputs', entry.id)) stored.push(entry);
    else gone.push(entry.id);
  }
  if (gone.length > 0) await markNotStored(gone);
  if (stored.length < 2) return refuse(i18n.t('completed.zipNeedsTwo'));
  try {
    const url = await conversionSite.send('site:zip-url', {
      entries: stored.map((entry) => ({ outputKey: entry.id, fileName: entry.fileName })),
    });
    await browser.downloads.download({ url, filename: zipName(new Date()), conflictAction: 'uniquify', saveAs: false });
    return ok;
  } catch (error) {
    console.error('Making the ZIP failed', error);
    return refuse(i18n.t('completed.zipFailed'));
  }
}
