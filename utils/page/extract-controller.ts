import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { i18n } from '#i18n';
import { onMessage, sendMessage, type StartReply } from '../messages';
import { ExtractButton } from './extract-button';
import { followJob } from './follow-job';
import { handOverFiles } from './handoff';
import { askAboutVideo } from './stream-notes';
import { trackTargets, type ExtractTarget } from './target-tracker';

function extensionFor(type: string): string {
  const subtype = type.split('/')[1]?.split(';')[0] ?? '';
  return (
    ({ 'x-matroska': 'mkv', quicktime: 'mov', 'x-msvideo': 'avi', webm: 'webm' } as Record<string, string>)[subtype] ??
    'mp4'
  );
}

/** The page's language, to choose among a stream's sound tracks. */
function pageLanguage(): { language?: string } {
  const language = (document.documentElement.lang || navigator.language).slice(0, 35);
  return language ? { language } : {};
}

/** The video's poster image (its resolved address), the MP3's cover; a page-made (blob:, data:) one is left out. */
function posterOf(video: HTMLVideoElement): { poster?: string } {
  return /^https?:/i.test(video.poster) && video.poster.length <= 16_384 ? { poster: video.poster } : {};
}

/** Starts a job for a video element's source: the extension downloads web URLs itself; page-made Blobs are handed over. */
async function extractVideo(video: HTMLVideoElement): Promise<StartReply> {
  // Copy protection is refused before anything is fetched; nothing is ever circumvented.
  if (video.mediaKeys) return { ok: false, error: i18n.t('page.drm') };
  // What the MAIN-world script saw: the manifest a player over MediaSource fetched for this video, and DRM.
  const note = askAboutVideo(video);
  if (note?.drm) return { ok: false, error: i18n.t('page.drm') };
  const src = video.currentSrc || video.src;
  const page = { pageTitle: document.title.slice(0, 500), ...pageLanguage(), ...posterOf(video) };
  const manifest = note?.manifest && { url: note.manifest.url, stream: note.manifest.format };
  if (/^https?:/i.test(src))
    return sendMessage('page:extract-url', { url: src, ...(manifest?.url === src && manifest), ...page });
  if (manifest) return sendMessage('page:extract-url', { ...manifest, ...page });
  if (!src) return { ok: false, error: i18n.t('page.noSource') };
  let blob: Blob;
  try {
    // A blob: URL made from a File or Blob can be read back; one made from a MediaSource can't.
    blob = await (await fetch(src)).blob();
  } catch {
    return { ok: false, error: i18n.t('page.streamed') };
  }
  // Bounded like the page title sent with a web address: the hand-over refuses longer file names.
  const title = document.title.trim().slice(0, 500) || 'video';
  return handOverFiles([new File([blob], `${title}.${extensionFor(blob.type)}`, { type: blob.type })]);
}

function extractFiles(input: HTMLInputElement): Promise<StartReply> {
  const files = [...(input.files ?? [])];
  return handOverFiles(files);
}

const starting = new WeakSet<ExtractButton>();

async function start(button: ExtractButton): Promise<void> {
  // A double click starts one job, not two.
  if (starting.has(button)) return;
  starting.add(button);
  setTimeout(() => starting.delete(button), 1500);
  button.showProgress(i18n.t('page.starting'), undefined);
  let reply: StartReply;
  try {
    reply =
      button.target instanceof HTMLVideoElement ? await extractVideo(button.target) : await extractFiles(button.target);
  } catch {
    reply = { ok: false, error: i18n.t('page.unavailable') };
  }
  if (!reply.ok) button.showError(reply.error);
  else for (const jobId of reply.jobIds) followJob(jobId, button);
}

/** Puts an "Extract MP3" button on every video and video file input of this document. */
export function mountExtractButtons(ctx: ContentScriptContext): void {
  const buttons = new Map<ExtractTarget, ExtractButton>();
  const updateInputState = (button: ExtractButton) => {
    if (button.target instanceof HTMLInputElement)
      button.setDisabled(button.target.files?.length ? undefined : i18n.t('page.noFileChosen'));
  };

  const stopTracking = trackTargets(document, {
    added(target) {
      const button = new ExtractButton(target, (event) => {
        // Only a person's click starts work, never a page script's synthetic one.
        if (event.isTrusted) void start(button);
      });
      buttons.set(target, button);
      if (target instanceof HTMLInputElement) target.addEventListener('change', () => updateInputState(button));
      updateInputState(button);
    },
    removed(target) {
      buttons.get(target)?.remove();
      buttons.delete(target);
    },
    moved() {
      for (const button of buttons.values()) button.place();
    },
  });

  // The context menu's "Extract MP3" on a page-made (blob:) video: only this page can read its bytes.
  const stopListening = onMessage('page:extract-video', ({ srcUrl }) => {
    const button = [...buttons.values()].find(
      (candidate) =>
        candidate.target instanceof HTMLVideoElement &&
        (candidate.target.currentSrc || candidate.target.src) === srcUrl,
    );
    if (button) void start(button);
  });

  ctx.onInvalidated(() => {
    stopTracking();
    stopListening();
  });
}
