import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, fixture, jobRow } from './helpers/popup';

/** The fixtures' bursts: 0.4 s of tone every 0.5 s from 0.25 s; 1.2 and 2.2 fall in the gaps between them. */
const START = 1.2;
const END = 2.2;

async function setTrim(popup: Page, start: string, end: string): Promise<void> {
  const trim = popup.locator('details.trim');
  if (!(await trim.evaluate((details) => (details as HTMLDetailsElement).open)))
    await trim.getByText('Trim', { exact: true }).click();
  await popup.getByLabel('Start', { exact: true }).fill(start);
  await popup.getByLabel('End', { exact: true }).fill(end);
}

describe('Trim in the popup', () => {
  let session: ExtensionSession;
  let popup: Page;
  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(() => session?.close());

  it.each(['clip.mp4', 'aac-5.1-48k.mp4', 'mp3-44k.avi'])(
    '%s keeps just the part typed, to the millisecond',
    async (name) => {
      const clip = fixture(name);
      if (!clip.expect.ok) throw new Error('not a good clip');
      // Containers that keep an encoder delay in the stream shift the bursts, as ffmpeg decodes them.
      const shift = clip.expect.onsetSeconds - 0.25;
      await setTrim(popup, '0:01.2', '2.2');
      await chooseVideos(popup, [name]);
      const mp3 = await analyzeMp3(await session.waitForDownload(name.replace(/\.\w+$/, '.mp3')));
      expect(Math.abs(mp3.durationSeconds - (END - START))).toBeLessThanOrEqual(0.001);
      expect(Math.abs(mp3.onsetSeconds - (1.25 + shift - START))).toBeLessThanOrEqual(0.001);
      expect(Math.abs(mp3.endOfSoundSeconds - (2.15 + shift - START))).toBeLessThanOrEqual(0.001);
    },
  );

  it('says what is wrong with a time it can’t read, and adds nothing until it is fixed', async () => {
    await setTrim(popup, '1:2x', '');
    await expect.poll(() => popup.locator('details.trim').getByRole('alert').innerText()).toMatch(/1:23\.5/);
    const jobsBefore = await popup.getByRole('region', { name: 'Jobs' }).getByRole('listitem').count();
    await chooseVideos(popup, ['clip.mp4']);
    await expect.poll(() => popup.locator('.drop-zone').getByRole('alert').innerText()).toMatch(/Fix the trim first/);
    expect(await popup.getByRole('region', { name: 'Jobs' }).getByRole('listitem').count()).toBe(jobsBefore);
  });

  it('reports a trim past the end of the sound on the job, naming the file', async () => {
    await setTrim(popup, '10', '');
    await chooseVideos(popup, ['clip.mp4']);
    const alert = jobRow(popup, 'clip.mp4').getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 30_000 }).toContain('“clip.mp4”');
    expect(await alert.innerText()).toMatch(/past the end of its sound/);
    await setTrim(popup, '', '');
  });
});
