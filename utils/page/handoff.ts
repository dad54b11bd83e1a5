import { z } from 'zod';
import { sendMessage, type StartReply } from '../messages';

const replySchema = z.union([
  z.object({ ok: z.literal(true), jobIds: z.array(z.string()) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

const BRIDGE_PATH = '/bridge.html';

/**
 * Hands files from the page (a file input's, or a video's Blob) to the extension. Runtime messages
 * can't carry bytes, so they go by postMessage to a hidden extension frame that stores them in the
 * extension's IndexedDB. The frame only accepts them with a one-time grant from the background,
 * which a page script can't get.
 */
export async function handOverFiles(files: File[]): Promise<StartReply> {
  const grant = await sendMessage('page:grant', undefined);
  const frame = document.createElement('iframe');
  frame.src = browser.runtime.getURL(BRIDGE_PATH);
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;opacity:0;pointer-events:none;';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.documentElement.append(frame);
  try {
    await loaded;
    const channel = new MessageChannel();
    const reply = new Promise<unknown>((resolve) => (channel.port1.onmessage = (event) => resolve(event.data)));
    // The extension's own origin, never the frame's current src: a page could point the frame elsewhere.
    frame.contentWindow?.postMessage({ grant, files }, new URL(browser.runtime.getURL('/')).origin, [channel.port2]);
    return replySchema.parse(await reply);
  } finally {
    frame.remove();
  }
}
