/**
 * The shadow root an element hosts, open or closed. Players such as Media Chrome and mux-player keep
 * their `<video>` in one. Content scripts may read closed ones through an extension-only API
 * (`chrome.dom` in Chromium, `Element.openOrClosedShadowRoot` in Firefox), so nothing has to run in
 * the page's world or patch `attachShadow`, and the page can't tell.
 */
function shadowRootOf(element: Element): ShadowRoot | null {
  if (element.shadowRoot) return element.shadowRoot;
  const firefox = (element as Element & { openOrClosedShadowRoot?: () => ShadowRoot | null }).openOrClosedShadowRoot;
  if (firefox) return firefox.call(element);
  const chromium = (globalThis as { chrome?: { dom?: typeof chrome.dom } }).chrome?.dom;
  return element instanceof HTMLElement ? (chromium?.openOrClosedShadowRoot(element) ?? null) : null;
}

/** The shadow roots in `node`'s subtree (itself included), nested ones too. */
export function shadowRootsUnder(node: Node): ShadowRoot[] {
  const found: ShadowRoot[] = [];
  const visit = (scope: Element | DocumentFragment | Document) => {
    const elements = scope instanceof Element ? [scope, ...scope.querySelectorAll('*')] : scope.querySelectorAll('*');
    for (const element of elements) {
      const root = shadowRootOf(element);
      if (root) {
        found.push(root);
        visit(root);
      }
    }
  };
  if (node instanceof Element || node instanceof DocumentFragment || node instanceof Document) visit(node);
  return found;
}

/** Whether `node` is inside `ancestor`, looking through shadow roots to their hosts. */
export function containsAcrossShadows(ancestor: Node, node: Node): boolean {
  for (let at: Node | null = node; at; at = at instanceof ShadowRoot ? at.host : at.parentNode) {
    if (at === ancestor) return true;
  }
  return false;
}
