import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos } from './helpers/popup';

describe('the options page', () => {
  let session: ExtensionSession;
  let options: Page;

  beforeAll(async () => {
    session = await launchExtension();
    options = await session.context.newPage();
    await options.setViewportSize({ width: 760, height: 640 });
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
  });
  afterAll(() => session?.close());

  it('offers Engine, Bitrate and Cloud API base URL with the contract defaults', async () => {
    expect(await options.getByLabel('Engine').inputValue()).toBe('auto');
    expect(await options.getByLabel('Engine').locator('option').allInnerTexts()).toEqual([
      'Automatic',
      'On this device',
      'NemoVideo cloud',
    ]);
    expect(await options.getByLabel('Bitrate').inputValue()).toBe('192');
    expect(
      await options
        .getByLabel('Bitrate')
        .locator('option')
        .evaluateAll((items) => items.map((item) => (item as HTMLOptionElement).value)),
    ).toEqual(['128', '192', '256', '320', 'v0', 'v2']);
    expect((await options.getByLabel('Bitrate').locator('option').allInnerTexts()).slice(4)).toEqual([
      'Best, variable: VBR V0, about 245 kbps',
      'Smaller, variable: VBR V2, about 190 kbps',
    ]);
    expect(await options.getByLabel('Cloud API base URL').inputValue()).toBe('https://mega-api-prod.nemovideo.ai');
    await options.screenshot({ path: 'docs/options.png' });
  });

  it('saves a change at once (no Save button) and the next MP3 uses it', async () => {
    expect(await options.getByRole('button', { name: /save/i }).count()).toBe(0);
    await options.getByLabel('Bitrate').selectOption('128');
    await options.reload();
    await expect.poll(() => options.getByLabel('Bitrate').inputValue()).toBe('128');
    const popup = await session.openPopup();
    await chooseVideos(popup, ['clip.mp4']);
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3'));
    expect(mp3.bitrateKbps).toBe(128);
  });

  it('says what NemoVideo cloud makes of a variable bitrate, and keeps the choice across a reload', async () => {
    await options.getByLabel('Bitrate').selectOption('v0');
    await options.getByLabel('Engine').selectOption('cloud');
    await expect.poll(() => options.getByLabel('Bitrate').getAttribute('aria-describedby')).toBeTruthy();
    const note = async () =>
      options.locator(`[id="${await options.getByLabel('Bitrate').getAttribute('aria-describedby')}"]`).innerText();
    await expect.poll(note).toMatch(/constant-bitrate MP3s only: VBR V0 comes back at 256 kbps/);
    await options.reload();
    await expect.poll(() => options.getByLabel('Bitrate').inputValue()).toBe('v0');
    await options.getByLabel('Engine').selectOption('auto');
    await expect.poll(note).toMatch(/^A constant bitrate/);
    await options.getByLabel('Bitrate').selectOption('192');
  });

  it('refuses a URL that is not http(s), with an alert, and keeps the saved one', async () => {
    const field = options.getByLabel('Cloud API base URL');
    await field.fill('ftp://example.org');
    await expect.poll(() => options.getByRole('alert').innerText()).toMatch(/http:\/\/ or https:\/\//);
    await options.reload();
    // The page shows the stored value once it has read it.
    await expect.poll(() => field.inputValue()).toBe('https://mega-api-prod.nemovideo.ai');
    await field.fill('http://127.0.0.1:9/api');
    const saved = () =>
      session.serviceWorker.evaluate(
        async () =>
          ((await chrome.storage.sync.get('settings')).settings as { cloudBaseUrl?: string } | undefined)?.cloudBaseUrl,
      );
    await expect.poll(saved).toBe('http://127.0.0.1:9/api');
    await options.reload();
    await expect.poll(() => field.inputValue()).toBe('http://127.0.0.1:9/api');
  });

  it('names the MP3 after the File name pattern, and refuses an empty one', async () => {
    const field = options.getByLabel('File name');
    expect(await field.inputValue()).toBe('{title}');
    await field.fill('');
    await expect.poll(() => options.getByRole('alert').innerText()).toMatch(/file name pattern/);
    await field.fill('{title} - {date}');
    const today = () => new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD
    await expect.poll(() => options.getByText(`clip - ${today()}.mp3`).count()).toBe(1);
    await options.reload();
    await expect.poll(() => field.inputValue()).toBe('{title} - {date}');
    const before = today();
    await chooseVideos(await session.openPopup(), ['clip.mp4']);
    const name = await Promise.any([before, today()].map((date) => session.waitForDownload(`clip - ${date}.mp3`)));
    expect((await analyzeMp3(name)).codec).toBe('mp3');
    await field.fill('{title}');
  });
});
