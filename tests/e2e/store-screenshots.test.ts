import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, REPO_ROOT, type ExtensionSession } from './helpers/browser';
import { chooseVideos, completedRow, fixturePath, waitUntilConverting } from './helpers/popup';

// The store listing's screenshots (1280×800) and promotional tile (440×280), from the real UI.
const OUT = join(REPO_ROOT, 'store', 'screenshots');
const VIDEO_SITE = 'http://videos.example';
const ACCENT = '#0b63ce';

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

/** A store frame: a headline and a line of text beside a real screenshot. */
function frame(headline: string, text: string, shot: Buffer): string {
  return `<!doctype html><html><body style="margin:0;width:1280px;height:800px;display:flex;align-items:center;gap:56px;
    padding:0 72px;box-sizing:border-box;background:linear-gradient(135deg,${ACCENT},#073b7a);color:#fff;font-family:system-ui,sans-serif">
    <div style="flex:1"><h1 style="font-size:44px;line-height:1.15;margin:0 0 20px">${headline}</h1>
    <p style="font-size:22px;line-height:1.45;margin:0;opacity:.92">${text}</p></div>
    <img src="${dataUrl(shot)}" style="max-height:680px;max-width:720px;border-radius:12px;box-shadow:0 18px 48px #0008"></body></html>`;
}

async function shoot(page: Page, html: string, name: string, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.setContent(html);
  await page.evaluate(() => Promise.all([...document.images].map((image) => image.decode())));
  await page.screenshot({ path: join(OUT, name) });
}

describe('the store screenshots', () => {
  let session: ExtensionSession;
  let stage: Page;

  beforeAll(async () => {
    session = await launchExtension();
    stage = await session.context.newPage();
  });
  afterAll(() => session?.close());

  it('the popup, converting, with completed downloads', async () => {
    const popup = await session.openPopup();
    await popup.setViewportSize({ width: 400, height: 600 });
    await chooseVideos(popup, ['clip.mp4', 'vorbis-44k.webm']);
    await session.waitForDownload('vorbis-44k.mp3');
    await expect.poll(() => completedRow(popup, 'vorbis-44k.mp3').count()).toBe(1);
    await chooseVideos(popup, ['long.mp4']);
    await waitUntilConverting(popup, 'long.mp4');
    const shot = await popup.locator('main').screenshot();
    await shoot(
      stage,
      frame(
        'Any video to MP3, on your computer',
        'Choose videos or drop them on the popup. Nothing is uploaded, and it works offline.',
        shot,
      ),
      'popup.png',
      { width: 1280, height: 800 },
    );
    await popup.close();
  });

  it('the in-page button on a video site', async () => {
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.route(`${VIDEO_SITE}/**`, (route) =>
      new URL(route.request().url()).pathname === '/talk.mp4'
        ? route.fulfill({ path: fixturePath('clip.mp4'), contentType: 'video/mp4' })
        : route.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><html lang="en"><head><title>Conference talk</title></head>
              <body style="margin:0;font-family:system-ui,sans-serif;background:#f4f5f7;color:#1b1f24">
              <header style="background:#1b1f24;color:#fff;padding:18px 40px;font-size:22px;font-weight:600">VideoTube</header>
              <main style="padding:28px 40px"><video src="/talk.mp4" width="880" height="495" controls style="background:#000"></video>
              <h1 style="font-size:24px;margin:16px 0 6px">Conference talk: sound design for film</h1>
              <p style="margin:0;color:#5b6470">12,408 views</p></main></body></html>`,
          }),
    );
    await page.goto(`${VIDEO_SITE}/watch`);
    const button = page.getByRole('button', { name: 'Extract MP3', exact: true });
    await expect.poll(() => button.count()).toBe(1);
    await page.screenshot({ path: join(OUT, 'in-page.png') });
    await page.close();
  });

  it('the settings', async () => {
    const options = await session.context.newPage();
    await options.setViewportSize({ width: 1280, height: 800 });
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    await expect.poll(() => options.getByLabel('Engine').count()).toBe(1);
    await options.screenshot({ path: join(OUT, 'settings.png') });
    // The privacy page it links to ships inside the extension.
    const [privacy] = await Promise.all([
      session.context.waitForEvent('page'),
      options.getByRole('link', { name: /^Privacy/ }).click(),
    ]);
    await expect.poll(() => privacy.getByRole('heading', { level: 1 }).innerText()).toBe('Privacy');
    expect(await privacy.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
      'What is sent, and to whom',
      'What is kept on this computer, and for how long',
      'Permissions',
    ]);
    await Promise.all([privacy.close(), options.close()]);
  });

  it('the promotional tile', async () => {
    const icon = readFileSync(join(REPO_ROOT, 'public', 'icon', '128.png'));
    await shoot(
      stage,
      `<!doctype html><html><body style="margin:0;width:440px;height:280px;display:flex;align-items:center;gap:18px;
        padding:0 28px;box-sizing:border-box;background:linear-gradient(135deg,#ffffff,#dbe8fb);color:#1b1f24;font-family:system-ui,sans-serif">
        <img src="${dataUrl(icon)}" width="128" height="128" style="margin:-16px">
        <div><h1 style="font-size:34px;margin:0 0 8px;color:${ACCENT}">Video to MP3</h1>
        <p style="font-size:17px;line-height:1.35;margin:0">Any video to MP3, on your computer. Private, offline, exact.</p></div></body></html>`,
      'tile.png',
      { width: 440, height: 280 },
    );
  });
});
