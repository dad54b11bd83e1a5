import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { changeSettings } from './helpers/options';
import { chooseVideos, completedRow, fixturePath } from './helpers/popup';

const run = promisify(execFile);

interface Packet {
  /** Start and length in seconds, as ffmpeg demuxes the packet. */
  start: number;
  duration: number;
  hash: string;
}

/** Every audio packet of the file, its bytes hashed (`framemd5` of a stream copy: nothing is decoded). */
async function audioPackets(path: string): Promise<Packet[]> {
  const { stdout } = await run('ffmpeg', [
    '-v',
    'error',
    '-i',
    path,
    '-map',
    '0:a:0',
    '-c',
    'copy',
    '-f',
    'framemd5',
    '-',
  ]);
  const [, numerator, denominator] = /#tb 0: (\d+)\/(\d+)/.exec(stdout) ?? [];
  const timeBase = Number(numerator) / Number(denominator);
  return stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, , pts, duration, , hash] = line.split(',').map((column) => column.trim());
      return { start: Number(pts) * timeBase, duration: Number(duration) * timeBase, hash: hash! };
    });
}

interface Probe {
  streams: {
    codec_type: string;
    codec_name: string;
    disposition?: { attached_pic?: number };
    tags?: Record<string, string>;
  }[];
  format: { format_name: string; tags?: Record<string, string> };
}

async function probe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', path]);
  return JSON.parse(stdout) as Probe;
}

/** The file's tags wherever its container keeps them (Ogg: on the stream), keys in lower case. */
function tagsOf({ format, streams }: Probe): Record<string, string> {
  const all = [format.tags ?? {}, ...streams.map((stream) => stream.tags ?? {})];
  return Object.fromEntries(
    all.flatMap((tags) => Object.entries(tags)).map(([key, value]) => [key.toLowerCase(), value]),
  );
}

const KEPT = [
  { source: 'clip.mp4', file: 'clip.m4a', codec: 'aac', container: /mp4/ },
  { source: 'opus-48k.webm', file: 'opus-48k.opus', codec: 'opus', container: /^ogg$/ },
  { source: 'vorbis-44k.webm', file: 'vorbis-44k.ogg', codec: 'vorbis', container: /^ogg$/ },
  { source: 'flac-48k.mkv', file: 'flac-48k.flac', codec: 'flac', container: /^flac$/ },
];

describe('Format: Original sound, not re-encoded', () => {
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    session = await launchExtension();
    await changeSettings(session, { format: 'original' });
    popup = await session.openPopup();
    await chooseVideos(popup, [...KEPT.map((kept) => kept.source), 'tagged.mp4', 'ac3-5.1-48k.mkv']);
  });
  afterAll(() => session?.close());

  it.each(KEPT)('$source: its packets are copied byte for byte into $file, with the tags', async (kept) => {
    const path = await session.waitForDownload(kept.file, 60_000);
    const packets = await audioPackets(path);
    expect(packets.map((packet) => packet.hash)).toEqual(
      (await audioPackets(fixturePath(kept.source))).map((packet) => packet.hash),
    );
    const probed = await probe(path);
    expect(probed.format.format_name).toMatch(kept.container);
    expect(probed.streams.filter((stream) => stream.codec_type === 'audio').map((stream) => stream.codec_name)).toEqual(
      [kept.codec],
    );
    expect(tagsOf(probed).title).toBe(kept.source.replace(/\.\w+$/, ''));
    // The cover, a frame of the video, in the container's own way (covr, METADATA_BLOCK_PICTURE, PICTURE).
    expect(probed.streams.some((stream) => stream.disposition?.attached_pic === 1)).toBe(true);
  });

  it('keeps the video’s artist and album', async () => {
    const tags = tagsOf(await probe(await session.waitForDownload('tagged.m4a', 60_000)));
    expect(tags).toMatchObject({ title: 'tagged', artist: 'The Testers', album: 'Fixtures, Vol. 1' });
  });

  it('makes an MP3 of AC-3 sound, and the entry in Completed downloads says so', async () => {
    const mp3 = await analyzeMp3(await session.waitForDownload('ac3-5.1-48k.mp3', 120_000));
    expect(mp3.codec).toBe('mp3');
    await expect
      .poll(() => completedRow(popup, 'ac3-5.1-48k.mp3').innerText(), { timeout: 30_000 })
      .toContain('Saved as MP3: its AC-3 sound can’t be kept as it is.');
    expect(await completedRow(popup, 'clip.m4a').innerText()).not.toContain('Saved as MP3');
  });

  it('with Trim, says the cuts fall on packets, and keeps whole packets from the one the start is in', async () => {
    const trim = popup.locator('details.trim');
    await trim.getByText('Trim', { exact: true }).click();
    expect(await trim.innerText()).toContain('the cuts fall between the sound’s packets');
    await popup.getByLabel('Start', { exact: true }).fill('1.2');
    await popup.getByLabel('End', { exact: true }).fill('2.2');
    await chooseVideos(popup, ['aac-mono-44k.mov']);
    const kept = await audioPackets(await session.waitForDownload('aac-mono-44k.m4a', 60_000));
    const source = await audioPackets(fixturePath('aac-mono-44k.mov'));
    const hashes = (packets: Packet[]) => packets.map((packet) => packet.hash).join();
    // Silent packets repeat, so the kept run is found as a whole.
    const first = source.findIndex((_, index) => hashes(source.slice(index, index + kept.length)) === hashes(kept));
    expect(first).toBeGreaterThan(0);
    const packetSeconds = source[1]!.duration;
    const startsAt = source[first]!.start;
    const endsAt = source[first + kept.length - 1]!.start + packetSeconds;
    expect(startsAt).toBeLessThanOrEqual(1.2);
    expect(startsAt).toBeGreaterThan(1.2 - 2 * packetSeconds);
    expect(endsAt).toBeGreaterThanOrEqual(2.2);
    expect(endsAt).toBeLessThan(2.2 + 2 * packetSeconds);
  });
});

describe('The Format setting', () => {
  let session: ExtensionSession;
  afterAll(() => session?.close());

  it('is MP3 by default, is chosen with the keyboard, says what the cloud makes, and is kept across a restart', async () => {
    session = await launchExtension();
    let options = await session.context.newPage();
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    const format = () => options.getByLabel('Format', { exact: true });
    expect(await format().inputValue()).toBe('mp3');
    expect(await format().locator('option').allInnerTexts()).toEqual(['MP3', 'Original sound, not re-encoded']);
    await format().focus();
    await options.keyboard.press('ArrowDown');
    await expect.poll(() => format().inputValue()).toBe('original');
    const note = async () => options.locator(`[id="${await format().getAttribute('aria-describedby')}"]`).innerText();
    await expect.poll(note).toMatch(/AAC → \.m4a, Opus → \.opus, Vorbis → \.ogg, MP3 → \.mp3, FLAC → \.flac/);
    await options.getByLabel('Engine').selectOption('cloud');
    await expect.poll(note).toMatch(/NemoVideo cloud makes MP3s only/);
    await options.getByLabel('Engine').selectOption('auto');
    await expect
      .poll(async () => {
        const { settings } = await session.serviceWorker.evaluate(() => chrome.storage.sync.get('settings'));
        return (settings as { format?: string; engine?: string } | undefined) ?? {};
      })
      .toMatchObject({ format: 'original', engine: 'auto' });
    session = await session.restart();
    options = await session.context.newPage();
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    await expect.poll(() => format().inputValue()).toBe('original');
  });
});
