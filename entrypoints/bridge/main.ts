import { z } from 'zod';
import { i18n } from '#i18n';
import { sendMessage, type StartReply } from '@/utils/messages';
import { localizeDocument } from '@/utils/localize-document';

localizeDocument();

const handoverSchema = z.object({
  grant: z.string().min(16),
  files: z.array(z.instanceof(File)).min(1).max(100),
});

/**
 * Runs in a hidden frame on the page. Its storage is the page's third-party storage (often blocked),
 * so it doesn't store the files: it makes extension-origin blob URLs the background has the
 * offscreen document copy into the extension's IndexedDB, and stays open until that is done.
 */
async function handOver(event: MessageEvent): Promise<void> {
  const port = event.ports[0];
  const parsed = handoverSchema.safeParse(event.data);
  if (!port || !parsed.success) return;
  const files = parsed.data.files.map((file) => ({
    blobUrl: URL.createObjectURL(file),
    fileName: file.name || 'video',
    size: file.size,
  }));
  let reply: StartReply;
  try {
    reply = await sendMessage('bridge:start', { grant: parsed.data.grant, files });
  } catch (error) {
    console.error('Hand-over failed', error);
    reply = { ok: false, error: i18n.t('page.handOverFailed') };
  } finally {
    for (const file of files) URL.revokeObjectURL(file.blobUrl);
  }
  port.postMessage(reply);
}

window.addEventListener('message', (event) => void handOver(event));
