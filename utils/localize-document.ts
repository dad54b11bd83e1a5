/**
 * Puts an extension page in the browser's language: its `lang`, and its `<title>`, which names a
 * message as the manifest does (`__MSG_extName__`), since browsers only fill those in manifests and CSS.
 */
export function localizeDocument(): void {
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = document.title.replace(/__MSG_(\w+)__/g, (_, key: string) => browser.i18n.getMessage(key));
}
