import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeMp3 } from '../e2e/helpers/mp3';
import { Firefox, type FirefoxTab } from './helpers/firefox';
import { chooseVideos, fixture, fixturePath } from './helpers/popup';

const LONG = 'long.mp4';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The long clip's job, once its progress bar shows some progress. */
function converting(name: string): boolean {
  const rows = document.querySelectorAll('section[aria-labelledby="jobs-heading"] li[aria-label]');
  const row = [...rows].find((item) => item.getAttribute('aria-label') === name);
  return Number(row?.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') ?? 0) > 0;
}

async function expectWholeLongMp3(firefox: Firefox): Promise<void> {
  const mp3 = await analyzeMp3(await firefox.waitForDownload('long.mp3', 150_000));
  const expected = fixture(LONG).expect;
  if (!expected.ok) throw new Error(`${LONG} should be a good clip`);
  expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: expected.sampleRate, channels: expected.channels });
  expect(Math.abs(mp3.onsetSeconds - expected.onsetSeconds)).toBeLessThanOrEqual(0.001);
  expect(Math.abs(mp3.durationSeconds - expected.sourceAudioSeconds)).toBeLessThanOrEqual(0.05);
  expect(readdirSync(firefox.downloads).filter((name) => name.startsWith('long'))).toEqual(['long.mp3']);
}

/** The job list, once no job is left in it. */
const noJobs = () => document.querySelector('section[aria-labelledby="jobs-heading"]') === null;

describe('the background page in Firefox, mid-job', () => {
  let firefox: Firefox | undefined;
  afterEach(async () => {
    await firefox?.close();
    firefox = undefined;
  });

  it('suspended mid-job (an idle limit shorter than its keep-alive), converts the job again when woken, once', async () => {
    // Firefox suspends an idle event page after 30 s, which the page's 20 s keep-alive beat forestalls;
    // at 1 s the page is suspended mid-conversion, as if the beat had failed.
    firefox = await Firefox.launch({ prefs: { 'extensions.background.idle.timeout': 1000 } });
    let popup = await firefox.openExtensionPage('popup.html');
    await chooseVideos(popup, [fixturePath(LONG)]);
    await popup.waitFor('the conversion to start', converting, [LONG], 60_000);
    // The popup keeps the page awake: close it, as a person does, then open it again later.
    await popup.close();
    const states: string[] = [];
    for (const deadline = Date.now() + 60_000; !states.includes('stopped') && Date.now() < deadline; await sleep(100)) {
      states.push(await firefox.backgroundState());
    }
    expect(states).toContain('stopped');
    popup = await firefox.openExtensionPage('popup.html');
    await expectWholeLongMp3(firefox);
    await popup.waitFor('the job list to be empty', noJobs, [], 30_000);
  });

  it('restarted mid-job (the add-on reloaded), converts the job again, once', async () => {
    firefox = await Firefox.launch();
    let popup: FirefoxTab = await firefox.openExtensionPage('popup.html');
    await chooseVideos(popup, [fixturePath(LONG)]);
    await popup.waitFor('the conversion to start', converting, [LONG], 60_000);
    // Reloading the add-on ends its background page and every page it has open, the popup too.
    await popup.run(() => void setTimeout(() => browser.runtime.reload(), 0));
    await firefox.waitForExtensionPageGone(popup);
    popup = await firefox.openExtensionPage('popup.html');
    await expectWholeLongMp3(firefox);
    await popup.waitFor('the job list to be empty', noJobs, [], 30_000);
  });
});
