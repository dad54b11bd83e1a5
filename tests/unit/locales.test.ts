import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessagesFile } from '@wxt-dev/i18n/build';

const ROOT = resolve(import.meta.dirname, '../..');
/** Messages that read the same in both languages. */
const SAME_IN_EVERY_LANGUAGE = new Set(['options.kbps', 'options.formatMp3']);

type Parsed = Awaited<ReturnType<typeof parseMessagesFile>>[number];
const textOf = (message: Parsed): string =>
  message.type === 'plural' ? Object.values(message.plurals).join(' | ') : message.message;
/** `{name}` substitutions and Chrome's `$1`…`$9`, each once. */
const placeholdersOf = (message: Parsed): string[] =>
  [...new Set(textOf(message).match(/\{\w+\}|\$[1-9]/g) ?? [])].sort();

async function load(locale: string): Promise<Map<string, Parsed>> {
  const messages = await parseMessagesFile(resolve(ROOT, 'locales', `${locale}.yml`));
  return new Map(
    messages.filter((message) => !message.key[0]?.startsWith('@@')).map((message) => [message.key.join('.'), message]),
  );
}

describe('locales', async () => {
  const en = await load('en');
  const zh = await load('zh_CN');

  it('en and zh_CN have exactly the same keys', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it.each([...en.keys()])('%s has the same placeholders, plural or not, in both', (key) => {
    const english = en.get(key)!;
    const chinese = zh.get(key);
    expect(chinese, `zh_CN has no ${key}`).toBeDefined();
    expect(placeholdersOf(chinese!)).toEqual(placeholdersOf(english));
    expect(chinese!.type === 'plural').toBe(english.type === 'plural');
  });

  it('every zh_CN message is translated, none left empty', () => {
    for (const [key, english] of en) {
      const chinese = textOf(zh.get(key)!);
      expect(chinese.trim(), key).not.toBe('');
      if (!SAME_IN_EVERY_LANGUAGE.has(key)) expect(chinese, key).not.toBe(textOf(english));
    }
  });

  it('every __MSG_…__ in the manifest and the pages names a message', async () => {
    const files = ['wxt.config.ts', ...['popup', 'options', 'bridge'].map((page) => `entrypoints/${page}/index.html`)];
    const names = new Set([...en.keys()].map((key) => key.replaceAll('.', '_')));
    const used = (await Promise.all(files.map((file) => readFile(resolve(ROOT, file), 'utf8')))).flatMap((text) =>
      [...text.matchAll(/__MSG_(\w+)__/g)].map((match) => match[1]!),
    );
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const name of used) expect(names, name).toContain(name);
  });
});
