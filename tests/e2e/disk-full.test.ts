import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, rmdir, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, fixture, jobRow, waitUntilConverting } from './helpers/popup';

const run = promisify(execFile);
const MB = 1024 * 1024;
/** The whole disk the profile lives on: a fresh profile takes about 3 MB. */
const DISK_SIZE_MB = 64;
/**
 * What a "full" disk keeps free: enough for Chromium's own small writes (preferences, the jobs in
 * chrome.storage), too little for a video (long.mp4 is 5 MB) or a part of an MP3 (4 MB).
 */
const ROOM_LEFT = 1.5 * MB;
const LONG = 'long.mp4';
const DISK_FULL = /disk is full/;

/** A real small disk (tmpfs) for the Chromium profile, so IndexedDB runs out of room as on a full disk. */
class SmallDisk {
  private fillers = 0;
  private constructor(readonly path: string) {}

  /** The disk, or why it could not be mounted (not root, no tmpfs, a sandbox that forbids mount). */
  static async mount(): Promise<SmallDisk | { refusal: string }> {
    const path = await mkdtemp(join(tmpdir(), 'video-to-mp3-small-disk-'));
    try {
      await run('mount', ['-t', 'tmpfs', '-o', `size=${DISK_SIZE_MB}m`, 'tmpfs', path]);
      return new SmallDisk(path);
    } catch (error) {
      await rmdir(path).catch(() => undefined);
      return { refusal: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Fills the disk, as other programs would, until only `room` bytes are free. */
  async fillLeaving(room: number): Promise<void> {
    const { bavail, bsize } = await statfs(this.path);
    await writeFile(join(this.path, `filler-${this.fillers++}`), Buffer.alloc(Math.max(0, bavail * bsize - room)));
  }

  async free(): Promise<void> {
    for (const name of await readdir(this.path)) if (name.startsWith('filler-')) await rm(join(this.path, name));
  }

  async unmount(): Promise<void> {
    await run('umount', [this.path]);
    await rmdir(this.path);
  }
}

/** The keys in one of the extension's IndexedDB stores, read from an extension page. */
function storedKeys(page: Page, store: 'inputs' | 'outputs' | 'scratch'): Promise<string[]> {
  return page.evaluate(
    (name) =>
      new Promise<string[]>((resolve, reject) => {
        const opening = indexedDB.open('video-to-mp3');
        opening.onerror = () => reject(opening.error!);
        opening.onsuccess = () => {
          const database = opening.result;
          if (!database.objectStoreNames.contains(name)) {
            database.close();
            resolve([]);
            return;
          }
          const reading = database.transaction(name).objectStore(name).getAllKeys();
          reading.onerror = () => reject(reading.error!);
          reading.onsuccess = () => {
            database.close();
            resolve(reading.result.map(String));
          };
        };
      }),
    store,
  );
}

async function jobSourceNames(session: ExtensionSession): Promise<string[]> {
  const { jobs } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('jobs'));
  return Object.values((jobs ?? {}) as Record<string, { sourceName: string }>).map((job) => job.sourceName);
}

async function historyFileNames(session: ExtensionSession): Promise<string[]> {
  const { history } = await session.serviceWorker.evaluate(() => chrome.storage.local.get('history'));
  return ((history ?? []) as { fileName: string }[]).map((entry) => entry.fileName);
}

async function expectWholeLongMp3(session: ExtensionSession): Promise<void> {
  const mp3 = await analyzeMp3(await session.waitForDownload('long.mp3', 180_000));
  const expected = fixture(LONG).expect;
  if (!expected.ok) throw new Error(`${LONG} should be a good clip`);
  expect(mp3).toMatchObject({
    codec: 'mp3',
    sampleRate: expected.sampleRate,
    channels: expected.channels,
    bitrateKbps: 192,
  });
  expect(Math.abs(mp3.durationSeconds - expected.sourceAudioSeconds)).toBeLessThanOrEqual(0.05);
}

describe('when the disk the browser keeps its data on is full', () => {
  let disk: SmallDisk | undefined;
  let refusal: string | undefined;
  let session: ExtensionSession | undefined;

  beforeAll(async () => {
    const mounted = await SmallDisk.mount();
    if (mounted instanceof SmallDisk) disk = mounted;
    else {
      refusal = `could not mount a ${DISK_SIZE_MB} MB tmpfs to fill (${mounted.refusal}); the disk-full tests need root and mount(8)`;
      console.warn(`\n!!! SKIPPING disk-full.test.ts: ${refusal}\n`);
    }
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    await disk?.free();
  });
  afterAll(async () => {
    await disk?.unmount();
  });

  /** A browser whose profile is on the small disk, with the popup open; skips loudly when there is no such disk. */
  async function browserOnSmallDisk({
    skip,
  }: TestContext): Promise<{ session: ExtensionSession; popup: Page; disk: SmallDisk }> {
    if (!disk) return skip(refusal);
    session = await launchExtension({ profileParent: disk.path });
    return { session, popup: await session.openPopup(), disk };
  }

  it('names a chosen video that can’t be stored, starts the others, keeps nothing of it, and converts it once there is room', async (context) => {
    const { session, popup, disk } = await browserOnSmallDisk(context);
    await disk.fillLeaving(ROOM_LEFT);

    // long.mp4 doesn't fit; clip.mp4, chosen with it, does.
    await chooseVideos(popup, [LONG, 'clip.mp4']);
    const alert = popup.getByRole('alert').filter({ hasText: DISK_FULL });
    await expect.poll(() => alert.innerText(), { timeout: 60_000 }).toContain(`“${LONG}”`);
    expect(await alert.innerText()).toMatch(/Free up some space on this device, then choose the video again\./);

    expect((await analyzeMp3(await session.waitForDownload('clip.mp3', 120_000))).codec).toBe('mp3');
    expect(await jobSourceNames(session)).not.toContain(LONG);
    await expect.poll(() => jobSourceNames(session), { timeout: 30_000 }).toEqual([]);
    // clip.mp4's copy goes once its MP3 is saved; long.mp4 left no copy behind.
    await expect.poll(() => storedKeys(popup, 'inputs'), { timeout: 30_000 }).toEqual([]);
    expect(await storedKeys(popup, 'scratch')).toEqual([]);

    await disk.free();
    await chooseVideos(popup, [LONG]);
    await expectWholeLongMp3(session);
    await expect.poll(() => alert.count()).toBe(0);
    await expect
      .poll(async () => (await historyFileNames(session)).sort(), { timeout: 30_000 })
      .toEqual(['clip.mp3', 'long.mp3']);
  });

  it('shows a job the disk filled up under with Retry, keeps its video, and Retry makes the MP3 once', async (context) => {
    const { session, popup, disk } = await browserOnSmallDisk(context);
    await chooseVideos(popup, [LONG]);
    await waitUntilConverting(popup, LONG);
    await disk.fillLeaving(ROOM_LEFT);

    const row = jobRow(popup, LONG);
    const alert = row.getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 120_000 }).toMatch(DISK_FULL);
    expect(await alert.innerText()).toContain(`“${LONG}”`);
    expect(await alert.innerText()).toMatch(/Press Retry once there is room\.$/);
    // The video stays for Retry; the parts of the MP3 written so far don't.
    expect(await storedKeys(popup, 'inputs')).toHaveLength(1);
    await expect.poll(() => storedKeys(popup, 'scratch'), { timeout: 30_000 }).toEqual([]);
    expect(await storedKeys(popup, 'outputs')).toEqual([]);
    expect(await historyFileNames(session)).toEqual([]);

    await disk.free();
    await row.getByRole('button', { name: 'Retry' }).click();
    await expectWholeLongMp3(session);
    await expect.poll(() => historyFileNames(session), { timeout: 30_000 }).toEqual(['long.mp3']);
    expect((await readdir(session.downloadsDir)).filter((name) => name.startsWith('long'))).toEqual(['long.mp3']);
    await expect.poll(() => jobSourceNames(session), { timeout: 30_000 }).toEqual([]);
    await expect.poll(() => storedKeys(popup, 'inputs'), { timeout: 30_000 }).toEqual([]);
  });
});
