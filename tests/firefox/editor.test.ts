import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMp3 } from '../e2e/helpers/mp3';
import { Firefox, type FirefoxTab } from './helpers/firefox';
import { fixturePath } from './helpers/popup';

/** clip.mp4's bursts: 0.4 s of tone every 0.5 s from 0.25 s; 1.2 and 2.2 fall in the gaps between them. */
const START = 1.2;
const END = 2.2;

/** WebDriver's codes for the keys the handles take. */
const KEYS = { PageUp: '\uE00E', Home: '\uE011', ArrowLeft: '\uE012', ArrowRight: '\uE014' } as const;

/** Focuses the slider named `name` and presses `keys` on it, as a person at the keyboard does. */
async function pressOnSlider(firefox: Firefox, tab: FirefoxTab, name: string, keys: (keyof typeof KEYS)[]) {
  const focused = await tab.run((name) => {
    const slider = [...document.querySelectorAll<HTMLElement>('[role=slider]')].find(
      (element) => element.getAttribute('aria-label') === name,
    );
    slider?.focus();
    return slider !== undefined && document.activeElement === slider;
  }, name);
  if (!focused) throw new Error(`No slider named ${name}`);
  await firefox.send('input.performActions', {
    context: tab.context,
    actions: [
      {
        type: 'key',
        id: 'keyboard',
        actions: keys.flatMap((key) => [
          { type: 'keyDown', value: KEYS[key] },
          { type: 'keyUp', value: KEYS[key] },
        ]),
      },
    ],
  });
}

const sliderValue = (tab: FirefoxTab, name: string) =>
  tab.run((name) => {
    const slider = [...document.querySelectorAll('[role=slider]')].find(
      (element) => element.getAttribute('aria-label') === name,
    );
    return slider ? Number(slider.getAttribute('aria-valuenow')) : null;
  }, name);

describe('the editor, in Firefox', () => {
  let firefox: Firefox;
  let editor: FirefoxTab;

  beforeAll(async () => {
    firefox = await Firefox.launch();
    editor = await firefox.openExtensionPage('editor.html');
  });
  afterAll(() => firefox?.close());

  it('draws a clip’s waveform, takes the handles by keyboard and saves the cut as an MP3 of its length', async () => {
    await editor.waitFor('the Choose video input', () => document.querySelector('input[type=file]') !== null, []);
    await editor.setFiles('input[type=file]', [fixturePath('clip.mp4')]);
    await editor.waitFor(
      'the waveform, read whole',
      () =>
        document.querySelector('canvas[role=img][aria-label=Waveform]') !== null &&
        document.querySelectorAll('[role=slider]').length === 2 &&
        !document.body.innerText.includes('Reading the sound…'),
      [],
      60_000,
    );
    expect(await editor.run(() => document.querySelector('[role=alert]')?.textContent ?? null)).toBeNull();
    expect(Math.abs((await sliderValue(editor, 'End'))! - 3)).toBeLessThan(0.03);

    await pressOnSlider(firefox, editor, 'Start', ['PageUp', 'ArrowRight', 'ArrowRight']);
    await expect.poll(() => sliderValue(editor, 'Start')).toBe(START);
    // Home takes the end as close to the start as a cut may be: 0.1 s after it.
    await pressOnSlider(firefox, editor, 'End', ['Home', 'PageUp', 'ArrowLeft']);
    await expect.poll(() => sliderValue(editor, 'End')).toBe(END);

    await editor.click('.save-cut button');
    const mp3 = await analyzeMp3(await firefox.waitForDownload('clip.mp3', 120_000));
    expect(mp3.sampleRate).toBe(48_000);
    expect(Math.abs(mp3.durationSeconds - (END - START))).toBeLessThanOrEqual(1 / 48_000);
    // The cut's sound ends where the source's burst from 1.75 to 2.15 s does.
    expect(Math.abs(mp3.endOfSoundSeconds - (2.15 - START))).toBeLessThanOrEqual(0.001);
  });
});
