import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, REPO_ROOT, type ExtensionSession } from './helpers/browser';
import { fixturePath } from './helpers/popup';

// The store listing's screenshots (1280×800) and promotional tile (440×280), from the real UI, in
// each language the listing has: store/screenshots/ (English) and store/screenshots/zh_CN/.
const VIDEO_SITE = 'http://videos.example';
const ACCENT = '#0b63ce';

const LISTINGS = [
  {
    language: 'English',
    lang: undefined,
    folder: '',
    labels: {
      chooseVideo: 'Choose video',
      downloadAgain: 'Download again',
      extract: 'Extract MP3',
      engine: 'Engine',
      reading: 'Reading the sound…',
    },
    privacyLink: /^Privacy/,
    popup: [
      'Any video to MP3, on your computer',
      'Choose videos or drop them on the popup. Nothing is uploaded, and it works offline.',
    ],
    tile: ['Video to MP3', 'Any video to MP3, on your computer. Private, offline, exact.'],
  },
  {
    language: 'Chinese',
    lang: 'zh-CN',
    folder: 'zh_CN',
    labels: {
      chooseVideo: '选择视频',
      downloadAgain: '重新下载',
      extract: '提取 MP3',
      engine: '转换引擎',
      reading: '正在读取声音…',
    },
    privacyLink: /^隐私/,
    popup: ['任何视频转 MP3，就在你的电脑上', '选择视频，或把视频拖到弹出窗口里。不上传任何内容，可离线使用。'],
    tile: ['视频转 MP3', '任何视频转 MP3，就在你的电脑上。私密、离线、精确。'],
  },
];

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

/** A store frame: a headline and a line of text beside a real screenshot. */
function frame([headline, text]: string[], shot: Buffer): string {
  return `<!doctype html><html><body style="margin:0;width:1280px;height:800px;display:flex;align-items:center;gap:56px;
    padding:0 72px;box-sizing:border-box;background:linear-gradient(135deg,${ACCENT},#073b7a);color:#fff;font-family:system-ui,sans-serif">
    <div style="flex:1"><h1 style="font-size:44px;line-height:1.15;margin:0 0 20px">${headline}</h1>
    <p style="font-size:22px;line-height:1.45;margin:0;opacity:.92">${text}</p></div>
    <img src="${dataUrl(shot)}" style="max-height:680px;max-width:720px;border-radius:12px;box-shadow:0 18px 48px #0008"></body></html>`;
}

function tile([name, text]: string[], icon: Buffer): string {
  return `<!doctype html><html><body style="margin:0;width:440px;height:280px;display:flex;align-items:center;gap:18px;
    padding:0 28px;box-sizing:border-box;background:linear-gradient(135deg,#ffffff,#dbe8fb);color:#1b1f24;font-family:system-ui,sans-serif">
    <img src="${dataUrl(icon)}" width="128" height="128" style="margin:-16px">
    <div><h1 style="font-size:34px;margin:0 0 8px;color:${ACCENT}">${name}</h1>
    <p style="font-size:17px;line-height:1.35;margin:0">${text}</p></div></body></html>`;
}

const videoSitePage = `<!doctype html><html lang="en"><head><title>Conference talk</title></head>
  <body style="margin:0;font-family:system-ui,sans-serif;background:#f4f5f7;color:#1b1f24">
  <header style="background:#1b1f24;color:#fff;padding:18px 40px;font-size:22px;font-weight:600">VideoTube</header>
  <main style="padding:28px 40px"><video src="/talk.mp4" width="880" height="495" controls style="background:#000"></video>
  <h1 style="font-size:24px;margin:16px 0 6px">Conference talk: sound design for film</h1>
  <p style="margin:0;color:#5b6470">12,408 views</p></main></body></html>`;

async function shoot(page: Page, html: string, path: string, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.setContent(html);
  await page.evaluate(() => Promise.all([...document.images].map((image) => image.decode())));
  await page.screenshot({ path });
}

describe.each(LISTINGS)('the store screenshots in $language', ({ lang, folder, labels, privacyLink, ...texts }) => {
  const out = join(REPO_ROOT, 'store', 'screenshots', folder);
  let session: ExtensionSession;
  let stage: Page;

  beforeAll(async () => {
    await mkdir(out, { recursive: true });
    session = await launchExtension(lang ? { lang } : {});
    stage = await session.context.newPage();
  });
  afterAll(() => session?.close());

  it('the popup, converting, with completed downloads', async () => {
    const popup = await session.openPopup();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.getByLabel(labels.chooseVideo).setInputFiles([fixturePath('clip.mp4'), fixturePath('vorbis-44k.webm')]);
    await expect.poll(() => popup.getByRole('button', { name: labels.downloadAgain }).count()).toBe(2);
    await popup.getByLabel(labels.chooseVideo).setInputFiles([fixturePath('long.mp4')]);
    const progress = popup.getByRole('progressbar');
    await expect
      .poll(async () => Number((await progress.getAttribute('aria-valuenow').catch(() => null)) ?? 0))
      .toBeGreaterThan(0);
    await shoot(stage, frame(texts.popup, await popup.locator('main').screenshot()), join(out, 'popup.png'), {
      width: 1280,
      height: 800,
    });
    await popup.close();
  });

  it('the in-page button on a video site', async () => {
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.route(`${VIDEO_SITE}/**`, (route) =>
      new URL(route.request().url()).pathname === '/talk.mp4'
        ? route.fulfill({ path: fixturePath('clip.mp4'), contentType: 'video/mp4' })
        : route.fulfill({ contentType: 'text/html', body: videoSitePage }),
    );
    await page.goto(`${VIDEO_SITE}/watch`);
    await expect.poll(() => page.getByRole('button', { name: labels.extract, exact: true }).count()).toBe(1);
    await page.screenshot({ path: join(out, 'in-page.png') });
    await page.close();
  });

  it('the settings, and the privacy page they link to, which ships inside the extension', async () => {
    const options = await session.context.newPage();
    await options.setViewportSize({ width: 1280, height: 800 });
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    await expect.poll(() => options.getByLabel(labels.engine).count()).toBe(1);
    await options.screenshot({ path: join(out, 'settings.png') });
    const [privacy] = await Promise.all([
      session.context.waitForEvent('page'),
      options.getByRole('link', { name: privacyLink }).click(),
    ]);
    await expect.poll(() => privacy.getByRole('heading', { level: 1 }).innerText()).toBe('Privacy');
    expect(await privacy.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
      'What is sent, and to whom',
      'What is kept on this computer, and for how long',
      'Permissions',
    ]);
    await Promise.all([privacy.close(), options.close()]);
  });

  it('the editor, with a cut chosen on the waveform', async () => {
    const editor = await session.context.newPage();
    await editor.setViewportSize({ width: 1280, height: 800 });
    await editor.goto(`chrome-extension://${session.extensionId}/editor.html`);
    await editor.getByLabel(labels.chooseVideo).setInputFiles(fixturePath('long.mp4'));
    await expect.poll(() => editor.getByText(labels.reading).count(), { timeout: 30_000 }).toBe(0);
    const start = editor.getByRole('slider').first();
    await start.focus();
    for (let step = 0; step < 20; step++) await editor.keyboard.press('PageUp');
    await editor.screenshot({ path: join(out, 'editor.png') });
    await editor.close();
  });

  it('the promotional tile', async () => {
    const icon = readFileSync(join(REPO_ROOT, 'public', 'icon', '128.png'));
    await shoot(stage, tile(texts.tile, icon), join(out, 'tile.png'), { width: 440, height: 280 });
  });
});
