import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { fixturePath } from './helpers/popup';
import { startTestSite } from './helpers/test-site';

/** English words left in a page's text, other than names that stay as they are in Chinese. */
function englishWords(text: string, names: string[]): string[] {
  let rest = text;
  for (const name of names) rest = rest.replaceAll(name, ' ');
  return (
    rest.match(/[A-Za-z]{3,}/g)?.filter(
      (word) =>
        ![
          'MP3',
          'NemoVideo',
          // Codec and file-type names, the same in Chinese (Format's help text).
          'AAC',
          'Opus',
          'opus',
          'Vorbis',
          'ogg',
          'FLAC',
          'flac',
          'DTS',
          'PCM',
          'API',
          'kbps',
          'VBR',
          'ZIP',
          'LUFS',
          'clip',
          'title',
          'date',
          'time',
          'bitrate',
        ].includes(word),
    ) ?? []
  );
}

describe('in Simplified Chinese (a browser set to zh-CN)', () => {
  let session: ExtensionSession;
  let popup: Page;
  let site: Awaited<ReturnType<typeof startTestSite>>;

  beforeAll(async () => {
    site = await startTestSite(inject('fixturesDir'));
    session = await launchExtension({ lang: 'zh-CN' });
    popup = await session.openPopup();
    await popup.setViewportSize({ width: 400, height: 560 });
  });
  afterAll(async () => {
    // The browser first: it holds the test site's video connections open.
    await session?.close();
    await site?.close();
  });

  it('runs Chromium with a Chinese UI (needs its zh-CN locale: chromium-l10n on Debian)', async () => {
    expect(await session.serviceWorker.evaluate(() => chrome.i18n.getUILanguage())).toBe('zh-CN');
    expect(await popup.evaluate(() => [document.documentElement.lang, document.title])).toEqual([
      'zh-CN',
      '视频转 MP3',
    ]);
  });

  it('shows the popup’s controls and headings in Chinese', async () => {
    await expect.poll(() => popup.getByRole('heading', { name: '已完成的下载' }).count()).toBe(1);
    expect(await popup.getByRole('heading', { level: 1 }).innerText()).toBe('视频转 MP3');
    expect(await popup.getByLabel('选择视频').count()).toBe(1);
    expect(await popup.getByRole('button', { name: '设置' }).count()).toBe(1);
    expect(englishWords(await popup.locator('body').innerText(), [])).toEqual([]);
  });

  it('says in Chinese why a bad file failed, naming it, and still converts a good one end to end', async () => {
    await popup.getByLabel('选择视频').setInputFiles([fixturePath('clip.mp4'), fixturePath('empty.mp4')]);
    const failed = popup
      .getByRole('region', { name: '任务' })
      .getByRole('listitem', { name: 'empty.mp4', exact: true });
    await expect
      .poll(() => failed.getByRole('alert').innerText(), { timeout: 60_000 })
      .toContain('“empty.mp4”是空文件（0 字节）');
    expect(await failed.getByRole('button', { name: '重试' }).count()).toBe(1);

    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000));
    expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: 48_000, bitrateKbps: 192 });
    const done = popup
      .getByRole('region', { name: '已完成的下载' })
      .getByRole('listitem', { name: 'clip.mp3', exact: true });
    await expect.poll(() => done.getByRole('button', { name: '重新下载' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await done.getByRole('button', { name: '在文件夹中显示' }).count()).toBe(1);
    expect(englishWords(await popup.locator('body').innerText(), ['empty.mp4', 'clip.mp3'])).toEqual([]);
    await popup.screenshot({ path: 'docs/popup.zh-CN.png' });
  });

  it('labels the options page in Chinese', async () => {
    const options = await session.context.newPage();
    await options.setViewportSize({ width: 760, height: 640 });
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    expect(await options.title()).toBe('视频转 MP3 设置');
    expect(await options.getByLabel('转换引擎').locator('option').allInnerTexts()).toEqual([
      '自动',
      '在本设备上',
      'NemoVideo 云端',
    ]);
    expect(await options.getByLabel('比特率').locator('option').allInnerTexts()).toEqual([
      '128 kbps',
      '192 kbps',
      '256 kbps',
      '320 kbps',
      '最佳，可变：VBR V0，约 245 kbps',
      '较小，可变：VBR V2，约 190 kbps',
    ]);
    expect(await options.getByLabel('MP3 音频保持原样').isChecked()).toBe(false);
    expect(await options.getByRole('group', { name: '标签' }).getByRole('checkbox').count()).toBe(3);
    expect(await options.getByLabel('文件名', { exact: true }).inputValue()).toBe('{title}');
    expect(await options.getByLabel('云端 API 地址').inputValue()).toBe('https://mega-api-prod.nemovideo.ai');
    expect(englishWords(await options.locator('body').innerText(), ['clip.mp4', 'clip.mp3'])).toEqual([]);
    await options.screenshot({ path: 'docs/options.zh-CN.png' });
    await options.close();
  });

  it('names the in-page button in Chinese', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.url}/video.html`);
    await expect
      .poll(() => page.getByRole('button', { name: '提取 MP3', exact: true }).count(), { timeout: 10_000 })
      .toBe(1);
    await page.close();
  });
});
