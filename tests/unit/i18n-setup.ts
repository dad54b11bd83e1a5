import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { generateChromeMessages, parseMessagesFile } from '@wxt-dev/i18n/build';

/**
 * WXT's fake browser has no i18n, so unit tests read the real English messages, as an English
 * browser would: code under test shows the same text as in the extension, not message names.
 */
const messages = generateChromeMessages(await parseMessagesFile(resolve(import.meta.dirname, '../../locales/en.yml')));

fakeBrowser.i18n.getUILanguage = () => 'en-US';
fakeBrowser.i18n.getMessage = (name: string, substitutions?: string | (string | number)[]) => {
  const message = messages[name]?.message;
  if (message === undefined) return '';
  const values = (typeof substitutions === 'string' ? [substitutions] : (substitutions ?? [])).map(String);
  // Chrome's own rules: $1…$9 are substitutions, $$ is a dollar sign.
  return message.replace(/\$(\$|[1-9])/g, (_, which: string) =>
    which === '$' ? '$' : (values[Number(which) - 1] ?? ''),
  );
};
