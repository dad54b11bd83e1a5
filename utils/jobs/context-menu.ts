import { sendMessage } from '../messages';
import { VIDEO_LINK_PATTERNS } from '../page/accepts-video';
import { pageJobs } from './page-jobs';
import { i18n } from '#i18n';

const VIDEO_ITEM = 'extract-mp3-video';
const LINK_ITEM = 'extract-mp3-link';

export async function createContextMenu(): Promise<void> {
  await browser.contextMenus.removeAll();
  const title = i18n.t('page.extractMp3');
  browser.contextMenus.create({ id: VIDEO_ITEM, title, contexts: ['video'] });
  browser.contextMenus.create({ id: LINK_ITEM, title, contexts: ['link'], targetUrlPatterns: VIDEO_LINK_PATTERNS });
}

export interface MenuClick {
  menuItemId: string | number;
  srcUrl?: string;
  linkUrl?: string;
  frameId?: number;
  frameUrl?: string;
  pageUrl?: string;
}

/** "Extract MP3" from the context menu: the same job as the in-page button. */
export async function onContextMenuClick(
  info: MenuClick,
  tab: { id?: number; title?: string } | undefined,
): Promise<void> {
  const url = info.menuItemId === LINK_ITEM ? info.linkUrl : info.srcUrl;
  if (!url) return;
  if (/^https?:/i.test(url)) {
    await pageJobs.extractUrl({ url, pageTitle: tab?.title, referrer: info.frameUrl ?? info.pageUrl });
  } else if (tab?.id !== undefined) {
    // blob: and data: videos can only be read by the page that made them.
    await sendMessage('page:extract-video', { srcUrl: url }, { tabId: tab.id, frameId: info.frameId ?? 0 });
  }
}
