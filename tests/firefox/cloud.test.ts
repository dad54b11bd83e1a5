import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNemoVideoServer, type NemoVideoServer } from '../cloud-server/server';
import { analyzeMp3 } from '../e2e/helpers/mp3';
import { Firefox, type FirefoxTab } from './helpers/firefox';
import { chooseVideos, fixture, fixturePath } from './helpers/popup';

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
    const mp3 = await analyzeMp3(await firefox.waitForDownload('clip.mp3', 90_000));
    const expected = fixture('clip.mp4').expect;
    if (!expected.ok) throw new Error('clip.mp4 is a good clip');
    expect(mp3).toMatchObject({ codec: 'mp3', bitrateKbps: 192, sampleRate: 48_000 });
    expect(Math.abs(mp3.durationSeconds - expected.sourceAudioSeconds)).toBeLessThan(0.1);
    const calls = server.requests.filter((request) => request.path.startsWith('/api') || request.path === '/run_sse');
    expect(calls.map((request) => `${request.method} ${request.path.split('/').slice(0, 4).join('/')}`)).toEqual(
      expect.arrayContaining([
        'POST /api/auth/anonymous-token',
        'POST /api/tasks/me',
        'POST /api/upload-video/nemo_agent',
        'POST /run_sse',
        'POST /api/render/proxy',
      ]),
    );
    for (const call of calls) {
      expect(call.headers['x-skill-source']).toBe('video-to-mp3');
      expect(call.headers['x-skill-platform']).toBe('firefox-extension');
    }
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
