import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { NemoVideoServer } from '../cloud-server/server';
import type { ExtensionSession } from './helpers/browser';
import { launchWithStandInCloud, type StandInCloud } from './helpers/cloud-session';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, jobRow } from './helpers/popup';

describe('telling NemoVideo what you want, in the popup', () => {
  let server: NemoVideoServer;
  let session: ExtensionSession;

  let cloud: StandInCloud;

  beforeAll(async () => {
    cloud = await launchWithStandInCloud();
    ({ server, session } = cloud);
  });
  afterAll(() => cloud?.close());

  const conversation = (popup: Page, name: string) =>
    jobRow(popup, name).getByRole('list', { name: 'Conversation with NemoVideo' });

  async function startWithInstructions(popup: Page, instructions: string, clip: string) {
    await expect.poll(() => popup.getByText(/Credits: \d+/).count()).toBe(1);
    await popup.getByLabel('Instructions (optional)').fill(instructions);
    await chooseVideos(popup, [clip]);
  }

  it('sends the instructions, streams the answer in plain words, lets you follow up, then exports the edited audio', async () => {
    const popup = await session.openPopup();
    await popup.setViewportSize({ width: 400, height: 640 });
    await expect
      .poll(() => popup.getByText(/Uses NemoVideo credits \(you have 100\)\. Exporting is free/).count())
      .toBe(1);
    await startWithInstructions(popup, 'Just the audio from 0:01 to 0:02.5 please', 'clip.mp4');

    const lines = conversation(popup, 'clip.mp4');
    const snapshots: string[] = [];
    const watch = setInterval(
      () =>
        void lines
          .innerText()
          .catch(() => '')
          .then((text) => snapshots.push(text)),
      50,
    );
    await expect
      .poll(() => lines.innerText(), { timeout: 60_000 })
      .toMatch(/I kept 0:01–0:02 of the audio \(1\.5 s\)\.\n?.*Press Export MP3 when you’re happy with it\./s);
    clearInterval(watch);
    expect(snapshots.some((text) => text.includes('I kept') && !/MP3/.test(text.split('I kept')[1] ?? ''))).toBe(true);
    expect(await lines.innerText()).toContain('Just the audio from 0:01 to 0:02.5 please');
    expect(await lines.innerText()).not.toMatch(/click|button/i);
    await expect.poll(() => jobRow(popup, 'clip.mp4').innerText()).toMatch(/you have 90/);
    await popup.screenshot({ path: 'docs/cloud-chat.png' });

    const row = jobRow(popup, 'clip.mp4');
    await row.getByLabel('Message to NemoVideo').fill('Make it shorter');
    await row.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await expect
      .poll(() => lines.innerText(), { timeout: 30_000 })
      .toMatch(/Make it shorter[\s\S]*I kept 0:00–0:00 of the audio \(0\.8 s\)/);
    await expect.poll(() => row.getByRole('button', { name: 'Export MP3' }).isEnabled()).toBe(true);
    await row.getByRole('button', { name: 'Export MP3' }).click();
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 90_000));
    expect(Math.abs(mp3.durationSeconds - 0.75)).toBeLessThan(0.1);
    expect(server.requests.filter((request) => request.path === '/run_sse')).toHaveLength(2);
  });

  it('understands Chinese instructions', async () => {
    const popup = await session.openPopup();
    await startWithInstructions(popup, '只要0:01到0:02的音频', 'opus-48k.webm');
    const row = jobRow(popup, 'opus-48k.webm');
    await expect
      .poll(() => row.getByRole('button', { name: 'Export MP3' }).isEnabled(), { timeout: 60_000 })
      .toBe(true);
    await row.getByRole('button', { name: 'Export MP3' }).click();
    const mp3 = await analyzeMp3(await session.waitForDownload('opus-48k.mp3', 90_000));
    expect(Math.abs(mp3.durationSeconds - 1)).toBeLessThan(0.1);
  });

  it('sums up the draft when the answer has no text', async () => {
    server.setFaults({ chatWithoutText: true });
    const popup = await session.openPopup();
    await startWithInstructions(popup, 'Keep 0:00 to 0:02', 'flac-48k.mkv');
    await expect
      .poll(() => conversation(popup, 'flac-48k.mkv').innerText(), { timeout: 60_000 })
      .toMatch(/Done\. Your audio now has 1 segment, 0:02 long\./);
    server.setFaults({});
  });

  it('says NemoVideo is still working when no words have come for a while', async () => {
    server.setFaults({ chatDelayMs: 18_000 });
    const popup = await session.openPopup();
    await startWithInstructions(popup, 'Keep 0:00 to 0:01', 'vorbis-44k.webm');
    const status = jobRow(popup, 'vorbis-44k.webm').getByRole('status');
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toContain('NemoVideo is answering');
    await expect.poll(() => status.innerText(), { timeout: 20_000 }).toContain('Still working');
    server.setFaults({});
    await expect
      .poll(() => conversation(popup, 'vorbis-44k.webm').innerText(), { timeout: 30_000 })
      .toMatch(/I kept 0:00–0:01/);
  });
});
