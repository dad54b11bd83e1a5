import { acceptsVideo } from './accepts-video';

/** The tag of the element that holds our button; the tracker ignores its own changes. */
export const HOST_TAG = 'video-to-mp3-extract';

export type ExtractTarget = HTMLVideoElement | HTMLInputElement;

const MIN_VIDEO_WIDTH = 160;
const MIN_VIDEO_HEIGHT = 90;

function isShown(element: Element, minWidth: number, minHeight: number): boolean {
  const rect = element.getBoundingClientRect();
  return (
    element.isConnected &&
    rect.width >= minWidth &&
    rect.height >= minHeight &&
    getComputedStyle(element).visibility !== 'hidden'
  );
}

/** The videos shown at 160×90 px or more, and the visible file inputs that accept video. */
function findTargets(root: Document): Set<ExtractTarget> {
  const targets = new Set<ExtractTarget>();
  for (const video of root.querySelectorAll('video')) {
    if (isShown(video, MIN_VIDEO_WIDTH, MIN_VIDEO_HEIGHT)) targets.add(video);
  }
  for (const input of root.querySelectorAll<HTMLInputElement>('input[type=file]')) {
    if (acceptsVideo(input.getAttribute('accept')) && isShown(input, 1, 1)) targets.add(input);
  }
  return targets;
}

/**
 * Follows the page as it changes (single-page apps, infinite feeds, resized players): calls `added`
 * for each new target, `removed` for each one gone, and `moved` when positions may have changed.
 */
export function trackTargets(
  root: Document,
  handlers: { added(target: ExtractTarget): void; removed(target: ExtractTarget): void; moved(): void },
): () => void {
  let current = new Set<ExtractTarget>();
  let scheduled = false;
  const refresh = () => {
    scheduled = false;
    const next = findTargets(root);
    for (const target of current) if (!next.has(target)) handlers.removed(target);
    for (const target of next) if (!current.has(target)) handlers.added(target);
    current = next;
    handlers.moved();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(refresh);
  };

  const ours = (node: Node) => node.nodeName === HOST_TAG.toUpperCase();
  const mutations = new MutationObserver((records) => {
    const relevant = records.some(
      (record) =>
        !ours(record.target) &&
        (record.type === 'attributes' || [...record.addedNodes, ...record.removedNodes].some((node) => !ours(node))),
    );
    if (relevant) schedule();
  });
  mutations.observe(root.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['style', 'class', 'hidden', 'width', 'height', 'accept', 'src'],
  });
  const events = ['scroll', 'resize', 'fullscreenchange', 'loadedmetadata', 'transitionend'] as const;
  for (const type of events) root.addEventListener(type, schedule, { capture: true, passive: true });
  window.addEventListener('resize', schedule, { passive: true });
  // Layout can change with no mutation or event we see (fonts, images above loading): look again now and then.
  const poll = window.setInterval(schedule, 1000);
  refresh();

  return () => {
    mutations.disconnect();
    for (const type of events) root.removeEventListener(type, schedule, { capture: true });
    window.removeEventListener('resize', schedule);
    window.clearInterval(poll);
    for (const target of current) handlers.removed(target);
    current.clear();
  };
}
