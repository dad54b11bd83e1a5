import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNemoVideoServer, type NemoVideoServer } from '../cloud-server/server';
import { expectAttributedCloudCalls, expectCloudClipMp3 } from '../e2e/helpers/cloud-expect';
import { Firefox, type FirefoxTab } from './helpers/firefox';
import { chooseVideos, fixturePath } from './helpers/popup';

/** Sets the options page's controls by their labels as a person would (React hears input and change). */
function setControls(values: Record<string, string>): boolean {
  const controls = [...document.querySelectorAll('label')].map((label) => ({
    text: label.textContent?.trim() ?? '',
    control: label.control as HTMLInputElement | HTMLSelectElement | null,
  }));
  for (const [label, value] of Object.entries(values)) {
    const control = controls.find((candidate) => candidate.text.startsWith(label))?.control;
    if (!control) return false;
    const prototype = control instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, 'value')!.set!.call(control, value);
    control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
  return true;
}

describe('the NemoVideo cloud engine in Firefox (against the stand-in server)', () => {
  let firefox: Firefox;
  let server: NemoVideoServer;
  let popup: FirefoxTab;

  beforeAll(async () => {
    server = await startNemoVideoServer();
    firefox = await Firefox.launch();
    const options = await firefox.openExtensionPage('options.html');
    expect(await options.run(setControls, { 'Cloud API base URL': server.url })).toBe(true);
    expect(await options.run(setControls, { Engine: 'cloud' })).toBe(true);
    await options.waitFor(
      'the cloud settings to be saved',
      async (url) => {
        const { settings } = await browser.storage.sync.get<{
          settings?: { engine?: string; cloudBaseUrl?: string };
        }>('settings');
        return settings?.engine === 'cloud' && settings.cloudBaseUrl === url;
      },
      [server.url],
    );
    await options.close();
    popup = await firefox.openExtensionPage('popup.html');
    await chooseVideos(popup, [fixturePath('clip.mp4')]);
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('makes the MP3 in the cloud: token, session, upload, chat and export, each call attributed', async () => {
    await expectCloudClipMp3(await firefox.waitForDownload('clip.mp3', 90_000));
    expectAttributedCloudCalls(server, 'firefox-extension');
  });

  it('shows the credits in the popup', async () => {
    const text = await popup.waitFor(
      'the credits',
      () => /Credits: \d+/.exec(document.body.innerText)?.[0],
      [],
      15_000,
    );
    expect(text).toMatch(/Credits: (9\d|100)/);
  });
});
