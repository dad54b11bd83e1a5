import { acceptsVideo } from './accepts-video';
import { shadowRootsUnder } from './shadow-roots';

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

/** The videos shown at 160×90 px or more, and the visible file inputs that accept video, in any of `roots`. */
function findTargets(roots: Iterable<Document | ShadowRoot>): Set<ExtractTarget> {
  const targets = new Set<ExtractTarget>();
  for (const root of roots) {
    for (const video of root.querySelectorAll('video')) {
      if (isShown(video, MIN_VIDEO_WIDTH, MIN_VIDEO_HEIGHT)) targets.add(video);
    }
    for (const input of root.querySelectorAll<HTMLInputElement>('input[type=file]')) {
      if (acceptsVideo(input.getAttribute('accept')) && isShown(input, 1, 1)) targets.add(input);
    }
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
  const ours = (node: Node) => node.nodeName === HOST_TAG.toUpperCase();
  // Players keep their video in shadow roots, which neither the document's observer nor its
  // listeners see into: each root found is watched like the document.
  const shadowRoots = new Set<ShadowRoot>();
  const watchShadowRootsUnder = (node: Node) => {
    for (const shadowRoot of shadowRootsUnder(node)) {
      if (shadowRoots.has(shadowRoot) || ours(shadowRoot.host)) continue;
      shadowRoots.add(shadowRoot);
      watch(shadowRoot);
    }
  };
  const refresh = () => {
    scheduled = false;
    for (const shadowRoot of shadowRoots) if (!shadowRoot.host.isConnected) shadowRoots.delete(shadowRoot);
    const next = findTargets([root, ...shadowRoots]);
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

  const mutations = new MutationObserver((records) => {
    let relevant = false;
    for (const record of records) {
      if (ours(record.target)) continue;
      const added = [...record.addedNodes].filter((node) => !ours(node));
      for (const node of added) watchShadowRootsUnder(node);
      relevant ||= record.type === 'attributes' || added.length > 0 || [...record.removedNodes].some((n) => !ours(n));
    }
    if (relevant) schedule();
  });
  const events = ['scroll', 'resize', 'fullscreenchange', 'loadedmetadata', 'transitionend'] as const;
  function watch(scope: Document | ShadowRoot) {
    mutations.observe(scope instanceof Document ? scope.documentElement : scope, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'class', 'hidden', 'width', 'height', 'accept', 'src'],
    });
    for (const type of events) scope.addEventListener(type, schedule, { capture: true, passive: true });
  }
  watch(root);
  watchShadowRootsUnder(root);
  window.addEventListener('resize', schedule, { passive: true });
  // Layout can change with no mutation or event we see (fonts, images above loading), and a player
  // may attach its shadow root after it is in the page: look again now and then.
  const poll = window.setInterval(() => {
    watchShadowRootsUnder(root);
    schedule();
  }, 1000);
  refresh();

  return () => {
    mutations.disconnect();
    for (const scope of [root, ...shadowRoots])
      for (const type of events) scope.removeEventListener(type, schedule, { capture: true });
    shadowRoots.clear();
    window.removeEventListener('resize', schedule);
    window.clearInterval(poll);
    for (const target of current) handlers.removed(target);
    current.clear();
  };
}
