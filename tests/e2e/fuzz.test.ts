import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeFuzzCases, type WrittenFuzzCase } from '../../scripts/fuzz/mutate';
import { launchExtension, type ExtensionSession } from './helpers/browser';
import { alertText, readStored, runBatch, type FileOutcome } from './helpers/batch';
import { analyzeMp3 } from './helpers/mp3';
import { chooseVideos, jobRow } from './helpers/popup';
import { watchMemory } from './helpers/proc-memory';

// `npm run fuzz` sets FUZZ_COUNT=1000; npm test runs the short version. A failure names its seed and index:
// `npx tsx scripts/fuzz/mutate.ts <seed> <index>` writes that file again.
const SEED = Number(process.env.FUZZ_SEED ?? 8);
const COUNT = Number(process.env.FUZZ_COUNT ?? 40);
const FIRST = Number(process.env.FUZZ_FIRST ?? 0);
const BATCH = 50;
const BOUND_MS = 60_000;
/**
 * The extension stops a job that makes no progress for a minute; here for 20 s, so a file that
 * freezes the decoder ends in its alert within the bound, as it would a little later for a person.
 */
const STALL_LIMIT_MS = 20_000;
/** Far above what a few conversions at once take (a few hundred MB); a runaway allocation passes it. */
const MEMORY_LIMIT_MB = 3000;

function summarize(
  cases: WrittenFuzzCase[],
  outcomes: FileOutcome[],
  peak: { totalMb: number; largestMb: number },
): string {
  const count = (outcome: string) => outcomes.filter((result) => result.outcome === outcome).length;
  const slowest = outcomes.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const problems = outcomes.flatMap((result, i) => {
    const fuzz = cases[i]!;
    return ['converted', 'alert'].includes(result.outcome)
      ? []
      : [`  seed ${SEED} index ${fuzz.index}: ${result.outcome} (${result.detail}) — ${fuzz.base}: ${fuzz.what}`];
  });
  return [
    `fuzz seed ${SEED}: ${cases.length} files from ${FIRST}`,
    `converted ${count('converted')} | alert ${count('alert')} | bad MP3 ${count('bad-mp3')} | hung ${count('hung')} | stuck ${count('stuck')} | crashed ${count('crashed')}`,
    `slowest: ${slowest.name} ${slowest.seconds.toFixed(1)} s (${slowest.outcome})`,
    `peak browser memory: ${peak.totalMb} MB in all, ${peak.largestMb} MB in the biggest process`,
    ...problems,
  ].join('\n');
}

async function launchForFuzzing(): Promise<ExtensionSession> {
  const session = await launchExtension();
  await session.serviceWorker.evaluate(
    (localStallMs) => chrome.storage.local.set({ limits: { localStallMs } }),
    STALL_LIMIT_MS,
  );
  return session;
}

describe(`hostile input: ${COUNT} fuzzed files`, () => {
  let session: ExtensionSession;
  let popup: Page;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'video-to-mp3-fuzz-'));
    session = await launchForFuzzing();
    popup = await session.openPopup();
  });
  afterAll(async () => {
    await session?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it(
    'each file ends as a playable MP3 or an alert that names it, within the time bound',
    async () => {
      let memory = watchMemory(join(dirname(session.downloadsDir), 'profile'));
      const cases: WrittenFuzzCase[] = [];
      const outcomes: FileOutcome[] = [];
      const missingAlerts: string[] = [];
      for (let start = FIRST; start < FIRST + COUNT; start += BATCH) {
        const batch = await writeFuzzCases(
          inject('fixturesDir'),
          outDir,
          SEED,
          start,
          Math.min(BATCH, FIRST + COUNT - start),
        );
        const results = await runBatch(
          session,
          popup,
          batch.map((fuzz) => fuzz.path),
          BOUND_MS,
        );
        for (const result of results.filter((r) => r.outcome === 'alert')) {
          const text = await alertText(popup, result.name);
          if (!text?.includes(`“${result.name}”`) || /Error|at \w+ \(|chrome-extension:/.test(text))
            missingAlerts.push(`${result.name}: ${text}`);
          // Clears the list between batches, as a person would.
          await jobRow(popup, result.name)
            .getByRole('button', { name: 'Remove' })
            .click({ timeout: 5_000 })
            .catch(() => undefined);
        }
        cases.push(...batch);
        outcomes.push(...results);
        const more = start + BATCH < FIRST + COUNT;
        if (more && results.some((result) => ['hung', 'stuck', 'crashed'].includes(result.outcome))) {
          // Later batches get a fresh browser, as a person would restart a stuck one.
          memory.stop();
          await session.close();
          session = await launchForFuzzing();
          popup = await session.openPopup();
          memory = watchMemory(join(dirname(session.downloadsDir), 'profile'), memory.peak);
        }
        if (COUNT > BATCH) console.log(summarize(cases, outcomes, memory.peak));
        await rm(outDir, { recursive: true, force: true });
      }
      memory.stop();
      console.log(summarize(cases, outcomes, memory.peak));
      expect(outcomes.filter((result) => !['converted', 'alert'].includes(result.outcome))).toEqual([]);
      expect(missingAlerts).toEqual([]);
      expect(memory.peak.totalMb).toBeLessThan(MEMORY_LIMIT_MB);
      expect((await readStored(session)).jobs.filter((job) => !['failed', 'interrupted'].includes(job.state))).toEqual(
        [],
      );
    },
    BOUND_MS * (COUNT + 5),
  );

  it('leaves the extension working: the popup and the background answer, and a good clip converts', async () => {
    expect(await popup.evaluate(() => document.readyState)).toBe('complete');
    expect(await session.serviceWorker.evaluate(() => chrome.runtime.id)).toBe(session.extensionId);
    await chooseVideos(popup, ['clip.mp4']);
    const mp3 = await analyzeMp3(await session.waitForDownload('clip.mp3', 60_000));
    expect(mp3.sampleRate).toBe(48_000);
  });
});
