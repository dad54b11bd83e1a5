import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIP_SPECS, BAD_SPECS } from '../../scripts/make-fixtures';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { alertText, runBatch, type FileOutcome } from './helpers/batch';
import { fixture, fixturePath } from './helpers/popup';

const GOOD = CLIP_SPECS.filter((spec) => !spec.seconds).map((spec) => spec.name);
const BAD = BAD_SPECS.map((spec) => spec.name);
/** 40 good files and 10 bad ones, the bad ones spread through the batch. */
const BATCH = Array.from({ length: 50 }, (_, i) => {
  const original = i % 5 === 2 ? BAD[Math.floor(i / 5) % BAD.length]! : GOOD[i % GOOD.length]!;
  return { original, name: `load-${String(i).padStart(2, '0')}-${original}` };
});
const RESPONSE_LIMIT_MS = 500;

/**
 * Records, in the popup, the most local jobs started (reading or converting) and converting at once,
 * on every change of the stored jobs.
 */
function countRunningJobs(popup: Page): Promise<void> {
  return popup.evaluate(() => {
    const page = window as unknown as { maxRunning: number; maxConverting: number };
    page.maxRunning = 0;
    page.maxConverting = 0;
    chrome.storage.local.onChanged.addListener((changes) => {
      const jobs = Object.values((changes.jobs?.newValue ?? {}) as Record<string, { state: string; engine: string }>);
      const local = jobs.filter((job) => job.engine === 'local');
      page.maxRunning = Math.max(
        page.maxRunning,
        local.filter((job) => job.state === 'reading' || job.state === 'converting').length,
      );
      page.maxConverting = Math.max(page.maxConverting, local.filter((job) => job.state === 'converting').length);
    });
  });
}

/** Until `done`, times a key press in the popup and a script round trip; returns the slowest, in ms. */
async function slowestResponse(popup: Page, done: () => boolean): Promise<{ ms: number; samples: number }> {
  let slowest = 0;
  let samples = 0;
  while (!done()) {
    const started = performance.now();
    await popup.keyboard.press('Tab');
    await popup.evaluate(() => document.activeElement?.tagName);
    slowest = Math.max(slowest, performance.now() - started);
    samples++;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { ms: Math.round(slowest), samples };
}

describe('a batch of 50 files, good and bad, from the popup', () => {
  let session: ExtensionSession;
  let popup: Page;
  let dir: string;
  let outcomes: FileOutcome[];
  let response: { ms: number; samples: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'video-to-mp3-load-'));
    await Promise.all(BATCH.map(({ original, name }) => copyFile(fixturePath(original), join(dir, name))));
    session = await launchExtension();
    popup = await session.openPopup();
    await countRunningJobs(popup);
    let finished = false;
    const responding = slowestResponse(popup, () => finished);
    outcomes = await runBatch(
      session,
      popup,
      BATCH.map(({ name }) => join(dir, name)),
      120_000,
    ).finally(() => (finished = true));
    response = await responding;
  }, 600_000);
  afterAll(async () => {
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('converts every good file to the right MP3', () => {
    const good = BATCH.flatMap(({ original, name }, i) => {
      const expected = fixture(original).expect;
      return expected.ok ? [{ name, expected, outcome: outcomes[i]! }] : [];
    });
    expect(good).toHaveLength(40);
    for (const { name, expected, outcome } of good) {
      expect(outcome.outcome, `${name}: ${outcome.detail}`).toBe('converted');
      expect({ name, sampleRate: outcome.mp3?.sampleRate, channels: outcome.mp3?.channels }).toEqual({
        name,
        sampleRate: expected.sampleRate,
        channels: expected.channels,
      });
      expect(Math.abs(outcome.mp3!.durationSeconds - expected.sourceAudioSeconds), name).toBeLessThanOrEqual(0.05);
    }
  });

  it('reports every bad file with an alert that names it', async () => {
    const bad = BATCH.filter(({ original }) => BAD.includes(original));
    expect(bad).toHaveLength(10);
    for (const { name } of bad) {
      expect(outcomes.find((outcome) => outcome.name === name)?.outcome, name).toBe('alert');
      expect(await alertText(popup, name), name).toContain(`“${name}”`);
    }
  });

  it('converts one file at a time, with at most one more started and reading its input', async () => {
    const { maxRunning, maxConverting } = await popup.evaluate(() => {
      const { maxRunning, maxConverting } = window as unknown as { maxRunning: number; maxConverting: number };
      return { maxRunning, maxConverting };
    });
    expect(maxRunning).toBe(2);
    expect(maxConverting).toBe(1);
  });

  it(`keeps the popup responsive: every key press and round trip under ${RESPONSE_LIMIT_MS} ms`, () => {
    expect(response.samples).toBeGreaterThan(10);
    expect(response.ms).toBeLessThan(RESPONSE_LIMIT_MS);
  });
});
