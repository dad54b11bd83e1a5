import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { chooseVideos, completedRow, jobRow } from './helpers/popup';

const COLOR_SCHEMES = ['light', 'dark'] as const;

/** axe's serious and critical violations on the page as it is now, in both color schemes. */
async function seriousViolations(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of COLOR_SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const violation of violations.filter(
      (candidate) => candidate.impact === 'serious' || candidate.impact === 'critical',
    )) {
      found.push(
        `${colorScheme}: ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
    }
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

interface Stop {
  name: string;
  /** The focused element's or, for a hidden file input, its label's outline or box shadow; '' if none shows. */
  indicator: string;
}

/** Opens the page afresh and presses Tab until focus leaves it, noting each control reached. */
async function tabThrough(page: Page, ready: Locator): Promise<Stop[]> {
  // A reload, because after a blur Chromium would go on tabbing from the blurred element.
  await page.reload();
  await ready.waitFor();
  const stops: Stop[] = [];
  for (let step = 0; step < 40; step++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const input = element instanceof HTMLInputElement ? element : undefined;
      const label = (element as HTMLInputElement).labels?.[0];
      const shown = (input?.type === 'file' && label) || element;
      const style = getComputedStyle(shown);
      const box = shown.getBoundingClientRect();
      const outline =
        style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
          ? `outline ${style.outlineWidth} ${style.outlineStyle}`
          : '';
      const shadow = style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : '';
      const visible = element.matches(':focus-visible') && box.width >= 8 && box.height >= 8 ? outline || shadow : '';
      const name = element.getAttribute('aria-label') ?? label?.textContent ?? element.textContent ?? '';
      return { name: name.trim(), indicator: visible };
    });
    if (!stop || stop.name === stops[0]?.name) break;
    stops.push(stop);
  }
  return stops;
}

/** Every enabled control on screen (not inside a closed disclosure), in document order, by accessible name. */
function controlsInOrder(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]')]
      .filter(
        (element) => !(element as HTMLButtonElement).disabled && element.tabIndex >= 0 && element.checkVisibility(),
      )
      .map((element) => {
        const labels = (element as HTMLInputElement).labels;
        return (element.getAttribute('aria-label') ?? labels?.[0]?.textContent ?? element.textContent ?? '').trim();
      }),
  );
}

describe('accessibility of the extension pages', () => {
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.getByLabel('Choose video').waitFor({ state: 'attached' });
  });
  afterAll(() => session?.close());

  it('the empty popup has no serious or critical axe violations', async () => {
    expect(await seriousViolations(popup)).toEqual([]);
  });

  it('Tab reaches the empty popup’s controls in order, each with a visible focus indicator', async () => {
    const stops = await tabThrough(popup, popup.getByText('Your MP3s will be listed here.'));
    expect(stops.map((stop) => stop.name)).toEqual([
      'Edit a video',
      'Settings',
      'Trim',
      'Choose video',
      'Video link',
      'Extract MP3',
    ]);
    for (const stop of stops) expect(stop.indicator, stop.name).not.toBe('');
  });

  it.each(['Enter', 'Space'])('the file picker opens with %s once Tab reaches Choose video', async (key) => {
    await popup.reload();
    const input = popup.getByLabel('Choose video');
    await input.waitFor({ state: 'attached' });
    await popup.getByRole('button', { name: 'Settings' }).waitFor();
    // Listening first: Playwright turns on file chooser interception asynchronously, and a key pressed
    // before that is done opens the (invisible) native dialog instead.
    const chooser = popup.waitForEvent('filechooser', { timeout: 10_000 });
    const focused = () => input.evaluate((element) => element === document.activeElement);
    for (let step = 0; step < 10 && !(await focused()); step++) await popup.keyboard.press('Tab');
    expect(await focused()).toBe(true);
    await popup.keyboard.press(key);
    const opened = await chooser;
    expect(opened.isMultiple()).toBe(true);
    await opened.setFiles([]);
  });

  describe('with a finished and a failed job', () => {
    beforeAll(async () => {
      await chooseVideos(popup, ['clip.mp4', 'garbage.mp4']);
      await session.waitForDownload('clip.mp3', 60_000);
      await completedRow(popup, 'clip.mp3')
        .getByRole('button', { name: 'Show in folder' })
        .waitFor({ timeout: 30_000 });
      await jobRow(popup, 'garbage.mp4').getByRole('alert').waitFor({ timeout: 60_000 });
      await jobRow(popup, 'garbage.mp4').getByRole('button', { name: 'Remove' }).waitFor();
    });

    it('has no serious or critical axe violations', async () => {
      expect(await seriousViolations(popup)).toEqual([]);
    });

    it('Tab reaches every control in reading order, each with a visible focus indicator', async () => {
      const stops = await tabThrough(
        popup,
        completedRow(popup, 'clip.mp3').getByRole('button', { name: 'Show in folder' }),
      );
      expect(stops.map((stop) => stop.name)).toEqual(await controlsInOrder(popup));
      expect(stops.map((stop) => stop.name)).toEqual([
        'Edit a video',
        'Settings',
        'Trim',
        'Choose video',
        'Video link',
        'Extract MP3',
        'Retry',
        'Try the cloud',
        'Remove',
        'Download again',
        'Show in folder',
      ]);
      for (const stop of stops) expect(stop.indicator, stop.name).not.toBe('');
    });
  });

  it('the options page has no serious or critical axe violations, and Tab reaches its settings', async () => {
    const options = await session.context.newPage();
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    await options.getByLabel('Engine').waitFor();
    expect(await seriousViolations(options)).toEqual([]);
    const stops = await tabThrough(options, options.getByLabel('Cloud API base URL'));
    expect(stops.map((stop) => stop.name)).toEqual([
      'Engine',
      'Bitrate',
      'Format',
      'Sound track',
      'One MP3 per chapter',
      'Keep MP3 sound as it is',
      'Even out loudness',
      'Title, from the video’s name or its page',
      'Artist and album, when the video has them',
      'Cover art: the video’s own, else a frame of it',
      'File name',
      'Cloud API base URL',
      'Privacy: what stays on this device, and what is sent where',
    ]);
    for (const stop of stops) expect(stop.indicator, stop.name).not.toBe('');
    await options.close();
  });
});
