import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CLIP_SECONDS,
  CLIP_SPECS,
  makeFixtures,
  ONSET_SECONDS,
  type Fixture,
  type GoodExpectation,
} from '../../scripts/make-fixtures';
import { isExtensionBuilt, launchExtension } from './helpers/browser.ts';
import { analyzeMp3, sourceAudioSeconds } from './helpers/mp3.ts';

const run = promisify(execFile);

function good(fixture: Fixture): GoodExpectation {
  if (!fixture.expect.ok) throw new Error(`${fixture.name} is a bad-input fixture`);
  return fixture.expect;
}

describe('fixtures', () => {
  let fixtures: Fixture[];

  beforeAll(async () => {
    fixtures = await makeFixtures(inject('fixturesDir'));
  });

  it('match what global setup provided', () => {
    expect(fixtures).toEqual(inject('fixtures'));
    expect(new Set(fixtures.map((f) => f.name)).size).toBe(fixtures.length);
  });

  it('have audio starting at the onset in every playable clip', () => {
    for (const f of fixtures.filter((x) => x.expect.ok)) {
      const e = good(f);
      const seconds = CLIP_SPECS.find((spec) => spec.name === f.name)?.seconds ?? CLIP_SECONDS;
      expect(e.sourceAudioSeconds, f.name).toBeGreaterThan(seconds - 0.1);
      expect(e.sourceAudioSeconds, f.name).toBeLessThan(seconds + 0.1);
      expect(e.onsetSeconds, f.name).toBeGreaterThanOrEqual(ONSET_SECONDS);
      // MP3 in AVI or Matroska keeps LAME's 1105-sample delay in the stream: 34.5 ms at 32 kHz.
      expect(e.onsetSeconds, f.name).toBeLessThan(ONSET_SECONDS + 0.04);
    }
  });

  it('give ffprobe no audio stream in any bad input', async () => {
    const bad = fixtures.filter((f) => !f.expect.ok);
    expect(bad.map((f) => f.name).sort()).toEqual([
      'empty.mp4',
      'garbage.mp4',
      'no-audio.mp4',
      'notes.mp4',
      'truncated.mp4',
    ]);
    for (const f of bad) await expect(sourceAudioSeconds(f.path), f.name).rejects.toThrow();
  });
});

describe('analyzeMp3', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'video-to-mp3-harness-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('measures an MP3 made from clip.mp4 by the system ffmpeg', async () => {
    const clip = inject('fixtures').find((f) => f.name === 'clip.mp4');
    if (!clip) throw new Error('clip.mp4 fixture missing');
    const out = join(workDir, 'out.mp3');
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-i',
      clip.path,
      '-vn',
      '-b:a',
      '192k',
      '-metadata',
      'title=Harness Clip',
      out,
    ]);

    const mp3 = await analyzeMp3(out);
    const source = await sourceAudioSeconds(clip.path);
    expect(mp3).toMatchObject({ codec: 'mp3', sampleRate: 48000, channels: 2, titleTag: 'Harness Clip' });
    expect(mp3.bitrateKbps).toBeCloseTo(192, 0);
    expect(Math.abs(mp3.durationSeconds - source)).toBeLessThan(0.05);
    expect(Math.abs(mp3.onsetSeconds - ONSET_SECONDS)).toBeLessThan(0.005);
  });
});

describe('browser', () => {
  it.skipIf(!isExtensionBuilt())('loads the built extension headless', async () => {
    const session = await launchExtension();
    try {
      expect(session.extensionId).toMatch(/^[a-p]{32}$/);
      const popup = await session.openPopup();
      expect(popup.url()).toBe(`chrome-extension://${session.extensionId}/popup.html`);
      await session.stopServiceWorker();
      expect((await stat(session.downloadsDir)).isDirectory()).toBe(true);
    } finally {
      await session.close();
    }
  });
});
