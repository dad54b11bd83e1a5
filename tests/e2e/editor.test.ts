import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { decodeMono } from '../../scripts/make-fixtures';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { completedRow, fixturePath } from './helpers/popup';
import { sampleMemory, watchMemory } from './helpers/proc-memory';

const run = promisify(execFile);

/** clip.mp4's bursts: 0.4 s of tone every 0.5 s from 0.25 s; 1.2 and 2.2 fall in the gaps between them. */
const START = 1.2;
const END = 2.2;
const RATE = 48_000;

/** Where the sound rises above 0.1 after at least 20 ms below it: each burst's first sample. */
function onsets(samples: Float32Array, rate: number): number[] {
  const found: number[] = [];
  let quiet = Math.round(0.02 * rate);
  samples.forEach((sample, index) => {
    if (Math.abs(sample) <= 0.1) quiet++;
    else {
      if (quiet >= 0.02 * rate) found.push(index / rate);
      quiet = 0;
    }
  });
  return found;
}

function rms(samples: Float32Array, rate: number, from: number, to: number): number {
  const part = samples.subarray(Math.round(from * rate), Math.round(to * rate));
  return Math.sqrt(part.reduce((sum, value) => sum + value * value, 0) / part.length);
}

/** A copy of `source` named chapters.mp4 with the given chapters (title, start, end in seconds), made by ffmpeg. */
async function withChapters(folder: string, source: string, chapters: [string, number, number][]): Promise<string> {
  const metadata = join(folder, 'chapters.txt');
  await writeFile(
    metadata,
    ';FFMETADATA1\n' +
      chapters
        .map(
          ([title, start, end]) =>
            `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${Math.round(start * 1000)}\nEND=${Math.round(end * 1000)}\ntitle=${title}\n`,
        )
        .join(''),
  );
  const video = join(folder, 'chapters.mp4');
  await run('ffmpeg', [
    '-v',
    'error',
    '-i',
    source,
    '-i',
    metadata,
    '-map',
    '0',
    '-map_chapters',
    '1',
    '-c',
    'copy',
    video,
  ]);
  return video;
}

const slider = (editor: Page, name: string) => editor.getByRole('slider', { name, exact: true });
const valueOf = async (handle: Locator) => Number(await handle.getAttribute('aria-valuenow'));

/** How many pixels of a screenshot differ clearly from its top-left pixel (the background). */
function drawnPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const difference =
        Math.abs(data[i]! - data[0]!) + Math.abs(data[i + 1]! - data[1]!) + Math.abs(data[i + 2]! - data[2]!);
      if (difference > 60) count++;
    }
    return count;
  }, png.toString('base64'));
}

async function openEditor(session: ExtensionSession, popup: Page): Promise<Page> {
  const opened = session.context.waitForEvent('page');
  await popup.getByRole('link', { name: 'Edit a video' }).click();
  const editor = await opened;
  await editor.waitForLoadState('domcontentloaded');
  await editor.setViewportSize({ width: 1000, height: 760 });
  return editor;
}

async function chooseInEditor(editor: Page, name: string): Promise<void> {
  await editor.getByLabel('Choose video').setInputFiles(fixturePath(name));
}

describe('the editor', () => {
  let session: ExtensionSession;
  let popup: Page;
  let editor: Page;
  beforeAll(async () => {
    session = await launchExtension();
    popup = await session.openPopup();
  });
  afterAll(() => session?.close());

  it('opens from the popup’s Edit a video link, in a new tab', async () => {
    editor = await openEditor(session, popup);
    expect(new URL(editor.url()).pathname).toBe('/editor.html');
    expect(await editor.getByRole('heading', { level: 1 }).innerText()).toBe('Edit a video');
  });

  it('draws the waveform of a chosen clip, with the whole clip selected', async () => {
    await chooseInEditor(editor, 'clip.mp4');
    await expect.poll(() => editor.getByText('Reading the sound…').count(), { timeout: 30_000 }).toBe(0);
    const waveform = editor.getByRole('img', { name: 'Waveform' });
    expect(await drawnPixels(editor, await waveform.screenshot())).toBeGreaterThan(2000);
    expect(await valueOf(slider(editor, 'Start'))).toBe(0);
    expect(Math.abs((await valueOf(slider(editor, 'End'))) - 3)).toBeLessThan(0.03);
  });

  it('has no serious accessibility problems, light or dark', async () => {
    const found: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await editor.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page: editor }).analyze();
      for (const violation of violations.filter(({ impact }) => impact === 'serious' || impact === 'critical'))
        found.push(
          `${colorScheme}: ${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
    }
    await editor.emulateMedia({ colorScheme: null });
    expect(found).toEqual([]);
  });

  it('zooms in and out, drawing the part in view', async () => {
    const track = editor.locator('.waveform__track');
    const widthOf = async () => (await track.boundingBox())!.width;
    const full = await widthOf();
    await editor.getByRole('button', { name: 'Zoom in' }).click();
    await editor.getByRole('button', { name: 'Zoom in' }).click();
    expect((await widthOf()) / full).toBeCloseTo(4, 1);
    const waveform = editor.getByRole('img', { name: 'Waveform' });
    expect(await drawnPixels(editor, await waveform.screenshot())).toBeGreaterThan(2000);
    await editor.getByRole('button', { name: 'Zoom out' }).click();
    await editor.getByRole('button', { name: 'Zoom out' }).click();
    expect(await widthOf()).toBeCloseTo(full, 0);
    expect(await editor.getByRole('button', { name: 'Zoom out' }).isDisabled()).toBe(true);
  });

  it('moves the handles with the mouse', async () => {
    const end = slider(editor, 'End');
    const track = await editor.locator('.waveform__track').boundingBox();
    const box = await end.boundingBox();
    if (!track || !box) throw new Error('no waveform on the page');
    await editor.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await editor.mouse.down();
    await editor.mouse.move(track.x + track.width * (2.5 / 3), box.y + box.height / 2, { steps: 5 });
    await editor.mouse.up();
    expect(Math.abs((await valueOf(end)) - 2.5)).toBeLessThan(0.02);
  });

  it('moves the handles with the keyboard: arrows 0.1 s, Page Up/Down 1 s, Home/End to the ends', async () => {
    const start = slider(editor, 'Start');
    const end = slider(editor, 'End');
    await start.focus();
    await start.press('Home');
    expect(await valueOf(start)).toBe(0);
    await end.focus();
    await end.press('End');
    expect(Math.abs((await valueOf(end)) - 3)).toBeLessThan(0.03);
    // Home takes the end as close to the start as a cut may be: 0.1 s.
    await end.press('Home');
    expect(await valueOf(end)).toBe(0.1);
    for (const key of ['PageUp', 'PageUp', 'PageDown', 'PageUp', 'ArrowRight', 'ArrowLeft', 'ArrowRight'])
      await end.press(key);
    expect(await valueOf(end)).toBe(END);
    await start.focus();
    for (const key of ['PageUp', 'ArrowRight', 'ArrowRight']) await start.press(key);
    expect(await valueOf(start)).toBe(START);
  });

  it('takes typed times as the popup’s Trim does', async () => {
    await editor.getByLabel('End time').fill('0:02.2');
    await editor.getByLabel('End time').press('Enter');
    expect(await valueOf(slider(editor, 'End'))).toBe(END);
    await editor.getByLabel('Start time').fill('1:2x');
    await editor.getByLabel('Start time').press('Enter');
    expect(await editor.locator('.time-field').getByRole('alert').innerText()).toMatch(/1:23\.5/);
    await editor.getByLabel('Start time').fill('1.2');
    await editor.getByLabel('Start time').press('Enter');
    expect(await valueOf(slider(editor, 'Start'))).toBe(START);
    expect(await editor.locator('.time-field').getByRole('alert').count()).toBe(0);
  });

  it('plays the selection, with a moving playhead; Space starts and stops it', async () => {
    const play = editor.getByRole('button', { name: 'Play selection' });
    await play.click();
    await expect.poll(() => editor.getByRole('button', { name: 'Stop' }).count()).toBe(1);
    await expect
      .poll(async () => {
        const text = await editor.getByText(/^Playhead: /).innerText();
        return text.replace('Playhead: ', '');
      })
      .not.toBe('0:01.2');
    await slider(editor, 'Start').focus();
    await editor.keyboard.press('Space');
    await expect.poll(() => editor.getByRole('button', { name: 'Play selection' }).count()).toBe(1);
    await editor.keyboard.press('Space');
    await expect.poll(() => editor.getByRole('button', { name: 'Stop' }).count()).toBe(1);
    await editor.keyboard.press('Space');
    await expect.poll(() => editor.getByRole('button', { name: 'Play selection' }).count()).toBe(1);
  });

  let cut: Float32Array;

  it('saves the cut through the job queue: the selection to the sample, each burst where the source has it', async () => {
    await editor.getByRole('button', { name: 'Save MP3' }).click();
    const path = await session.waitForDownload('clip.mp3');
    const mp3 = await analyzeMp3(path);
    expect(mp3.sampleRate).toBe(RATE);
    expect(Math.abs(mp3.durationSeconds - (END - START))).toBeLessThanOrEqual(1 / RATE);
    const source = await decodeMono(fixturePath('clip.mp4'));
    const expected = onsets(source.samples, source.sampleRate)
      .filter((time) => time > START && time < END)
      .map((time) => time - START);
    cut = (await decodeMono(path)).samples;
    const found = onsets(cut, RATE);
    expect(found).toHaveLength(expected.length);
    found.forEach((time, index) => expect(Math.abs(time - expected[index]!)).toBeLessThanOrEqual(0.001));
    expect(Math.abs(mp3.endOfSoundSeconds - (2.15 - START))).toBeLessThanOrEqual(0.001);
    await expect.poll(() => completedRow(editor, 'clip.mp3').count()).toBe(1);
  });

  it('fades the saved MP3 in and out over the lengths typed', async () => {
    await editor.getByLabel('Fade in').fill('0.5');
    await editor.getByLabel('Fade out').fill('0.3');
    await editor.getByRole('button', { name: 'Save MP3' }).click();
    const faded = (await decodeMono(await session.waitForDownload('clip (1).mp3'))).samples;
    expect(faded.length).toBe(cut.length);
    // The first burst (0.05–0.45 s) lies in the fade in: its level rises with the time, as the gain does.
    const levels = [0.1, 0.2, 0.3, 0.4].map(
      (at) => rms(faded, RATE, at - 0.02, at + 0.02) / rms(cut, RATE, at - 0.02, at + 0.02),
    );
    levels.forEach((level, index) => expect(Math.abs(level - [0.1, 0.2, 0.3, 0.4][index]! / 0.5)).toBeLessThan(0.03));
    // Past the fade in it is as loud as the plain cut; in the fade out (0.7–1 s) it falls.
    expect(rms(faded, RATE, 0.55, 0.65) / rms(cut, RATE, 0.55, 0.65)).toBeCloseTo(1, 1);
    expect(rms(faded, RATE, 0.78, 0.82) / rms(cut, RATE, 0.78, 0.82)).toBeCloseTo((1 - 0.8) / 0.3, 1);
  });

  it('makes the README’s screenshots, light and dark', async () => {
    await slider(editor, 'Start').focus();
    await editor.screenshot({ path: 'docs/editor.png' });
    await editor.emulateMedia({ colorScheme: 'dark' });
    await editor.screenshot({ path: 'docs/editor.dark.png' });
    await editor.emulateMedia({ colorScheme: 'light' });
  });

  it('shows Save MP3’s jobs with progress and Cancel, as the popup does', async () => {
    await chooseInEditor(editor, 'long.mp4');
    await expect.poll(() => slider(editor, 'End').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => editor.getByText('Reading the sound…').count(), { timeout: 30_000 }).toBe(0);
    await editor.getByRole('button', { name: 'Save MP3' }).click();
    const row = editor.getByRole('region', { name: 'Jobs' }).getByRole('listitem', { name: 'long.mp4', exact: true });
    await expect.poll(() => row.getByRole('progressbar').count(), { timeout: 30_000 }).toBe(1);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => row.innerText()).toMatch(/Cancelled/);
  });

  it.each(['opus-48k.webm', 'flac-48k.mkv', 'aac-48k.ts', 'mp3-mono-32k.mkv', 'aac-5.1-48k.mp4', 'pcm-s16le-48k.mov'])(
    'draws the waveform of %s',
    async (name) => {
      await chooseInEditor(editor, name);
      await expect.poll(() => editor.getByRole('heading', { name, exact: true }).count()).toBe(1);
      await expect.poll(() => editor.getByText('Reading the sound…').count(), { timeout: 30_000 }).toBe(0);
      expect(await editor.getByRole('alert').filter({ hasText: name }).count()).toBe(0);
      const waveform = editor.getByRole('img', { name: 'Waveform' });
      expect(await drawnPixels(editor, await waveform.screenshot())).toBeGreaterThan(2000);
    },
  );

  it.each(['mp3-44k.avi', 'ac3-5.1-48k.mkv'])(
    'says it can’t read the sound of %s, which only ffmpeg.wasm reads, and points to the popup',
    async (name) => {
      await chooseInEditor(editor, name);
      const alert = editor.getByRole('alert').filter({ hasText: `“${name}”` });
      await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
      expect(await alert.innerText()).toMatch(/Choose it in the popup instead/);
    },
  );

  it.each([
    ['notes.mp4', /isn't a video file/],
    ['no-audio.mp4', /has no audio track/],
  ])('says plainly why %s can’t be edited, naming it', async (name, words) => {
    await chooseInEditor(editor, name);
    const alert = editor.getByRole('alert').filter({ hasText: `“${name}”` });
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
    expect(await alert.innerText()).toMatch(words);
  });

  it('marks the video’s chapters on the ruler and lists them; choosing one selects it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'video-to-mp3-chapters-'));
    try {
      const video = await withChapters(folder, fixturePath('clip.mp4'), [
        ['Intro', 0, START],
        ['Middle part', START, END],
        ['Finale – 終わり', END, 3],
      ]);
      await editor.getByLabel('Choose video').setInputFiles(video);
      await expect.poll(() => editor.getByRole('heading', { name: 'chapters.mp4' }).count()).toBe(1);
      await expect.poll(() => editor.getByText('Reading the sound…').count(), { timeout: 30_000 }).toBe(0);
      const list = editor.getByRole('region', { name: 'Chapters', exact: true });
      expect(await list.getByRole('listitem').count()).toBe(3);
      for (const name of [
        'Intro 0:00 – 0:01.2',
        'Middle part 0:01.2 – 0:02.2',
        /^Finale – 終わり 0:02\.2 – 0:0(2\.9\d*|3)$/,
      ])
        expect(await list.getByRole('button', { name, exact: true }).count(), String(name)).toBe(1);
      // Each mark starts where its chapter does on the ruler.
      const track = (await editor.locator('.waveform__track').boundingBox())!;
      const marks = editor.locator('.waveform__chapter');
      expect(await marks.allInnerTexts()).toEqual(['Intro', 'Middle part', 'Finale – 終わり']);
      const duration = await valueOf(slider(editor, 'End'));
      for (const [index, at] of [0, START, END].entries()) {
        const box = (await marks.nth(index).boundingBox())!;
        expect(Math.abs(box.x - (track.x + (at / duration) * track.width))).toBeLessThan(2);
      }
      // By the keyboard: Tab reaches the chapters, Enter chooses one.
      const focused = () => editor.evaluate(() => document.activeElement?.textContent);
      await list.getByRole('button').first().focus();
      await expect.poll(focused).toBe('Intro 0:00 – 0:01.2');
      await editor.keyboard.press('Tab');
      await expect.poll(focused).toBe('Middle part 0:01.2 – 0:02.2');
      await editor.keyboard.press('Enter');
      await expect.poll(() => valueOf(slider(editor, 'Start'))).toBe(START);
      expect(await valueOf(slider(editor, 'End'))).toBe(END);
      await editor.getByRole('button', { name: 'Save MP3' }).click();
      const mp3 = await analyzeMp3(await session.waitForDownload('chapters.mp3'));
      expect(Math.abs(mp3.durationSeconds - (END - START))).toBeLessThanOrEqual(1 / RATE);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('the editor in Simplified Chinese', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchExtension({ lang: 'zh-CN' });
  });
  afterAll(() => session?.close());

  it('names its controls in Chinese, and makes the README’s screenshot', async () => {
    const popup = await session.openPopup();
    const opened = session.context.waitForEvent('page');
    await popup.getByRole('link', { name: '编辑视频' }).click();
    const editor = await opened;
    await editor.setViewportSize({ width: 1000, height: 760 });
    await editor.getByLabel('选择视频').setInputFiles(fixturePath('clip.mp4'));
    await expect.poll(() => editor.getByText('正在读取声音…').count(), { timeout: 30_000 }).toBe(0);
    expect(await editor.title()).toBe('编辑视频 – Video to MP3');
    for (const [role, name] of [
      ['img', '波形'],
      ['slider', '开始'],
      ['slider', '结束'],
      ['button', '播放选区'],
      ['button', '保存 MP3'],
      ['spinbutton', '淡入'],
      ['spinbutton', '淡出'],
    ] as const)
      expect(await editor.getByRole(role, { name, exact: true }).count(), `${role} ${name}`).toBe(1);
    await slider(editor, '开始').focus();
    await slider(editor, '开始').press('PageUp');
    await slider(editor, '结束').focus();
    await slider(editor, '结束').press('PageDown');
    await editor.screenshot({ path: 'docs/editor.zh-CN.png' });
  });
});

describe('the editor on a long, big video', () => {
  const SECONDS = 3200;
  let session: ExtensionSession;
  let folder: string;
  let video: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'video-to-mp3-editor-'));
    video = join(folder, 'concert.mov');
    // 53 minutes of 48 kHz stereo PCM: about 600 MB, which a page that read it whole would hold.
    await run('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=f=440:r=48000:d=${SECONDS}`,
      '-ac',
      '2',
      '-c:a',
      'pcm_s16le',
      video,
    ]);
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('draws its whole waveform without holding the file in memory', async () => {
    const size = (await stat(video)).size;
    expect(size).toBeGreaterThan(500 * 1024 * 1024);
    const popup = await session.openPopup();
    const editor = await openEditor(session, popup);
    const profile = join(dirname(session.downloadsDir), 'profile');
    await expect.poll(() => editor.getByLabel('Choose video').count()).toBe(1);
    const before = sampleMemory(profile);
    const watch = watchMemory(profile, undefined, 250);
    try {
      await editor.getByLabel('Choose video').setInputFiles(video);
      await expect
        .poll(() => editor.getByText('Reading the sound…').count(), { timeout: 240_000, interval: 500 })
        .toBe(0);
    } finally {
      watch.stop();
    }
    expect(await editor.getByRole('alert').count()).toBe(0);
    expect(Math.abs(Number(await slider(editor, 'End').getAttribute('aria-valuenow')) - SECONDS)).toBeLessThan(0.05);
    expect(await drawnPixels(editor, await editor.getByRole('img', { name: 'Waveform' }).screenshot())).toBeGreaterThan(
      2000,
    );
    // Read whole, the file alone would add its 600 MB; read a window at a time, the browser grows by ~160 MB.
    expect(watch.peak.totalMb - before.totalMb).toBeLessThan(size / 1024 / 1024 / 2);
  });
});
