import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../utils/engines/engine';
import { ConversionError } from '../../utils/failures';
import { getBlob, putBlob } from '../../utils/blob-store';
import { inThisPage } from '../../utils/jobs/background-page';
import type { ReportHandlers } from '../../utils/jobs/conversion-site-type';

type Reported = { type: keyof ReportHandlers; data: unknown };

/** Firefox's conversion site with `engine`, recording every report the job queue would get. */
function siteWith(engine: Engine, failing?: keyof ReportHandlers) {
  const reported: Reported[] = [];
  const handle = (type: keyof ReportHandlers) => async (data: unknown) => {
    reported.push({ type, data });
    if (type === failing) throw new Error('handler broke');
  };
  const site = inThisPage(engine);
  site.onReports({
    'job:progress': handle('job:progress'),
    'job:converted': handle('job:converted'),
    'job:failed': handle('job:failed'),
    'job:tracks': handle('job:tracks'),
    'job:input-not-kept': handle('job:input-not-kept'),
  });
  return { site, reported };
}

const mp3Engine: Engine = {
  async convert(request, onProgress) {
    onProgress(0.5);
    return { mp3: new Blob([`mp3 of ${request.fileName} at ${request.bitrate}`]), durationSeconds: 3 };
  },
};

async function convert(site: ReturnType<typeof siteWith>['site'], jobId: string, inputKey: string) {
  await site.send('site:convert', {
    jobId,
    source: { kind: 'stored-file', inputKey },
    fileName: 'clip.mp4',
    bitrate: 192,
    keepMp3Audio: false,
    normalizeLoudness: false,
    title: 'clip',
  });
}

describe('conversions in the background page (Firefox)', () => {
  it('converts a stored input and reports to the handlers by call, the MP3 stored under the job id', async () => {
    await putBlob('inputs', 'in-1', new Blob(['video']));
    const { site, reported } = siteWith(mp3Engine);
    await convert(site, 'job-1', 'in-1');
    await vi.waitFor(() => expect(reported.map((report) => report.type)).toContain('job:converted'));
    expect(reported[0]).toEqual({ type: 'job:progress', data: { jobId: 'job-1', phase: 'reading', progress: 0 } });
    const expected = 'mp3 of clip.mp4 at 192';
    expect(reported.at(-1)).toEqual({
      type: 'job:converted',
      data: {
        jobId: 'job-1',
        outputKey: 'job-1',
        size: expected.length,
        durationSeconds: 3,
        objectUrls: { 'job-1': expect.stringMatching(/^blob:/) },
      },
    });
    expect(await (await getBlob('outputs', 'job-1'))?.text()).toBe(expected);
    const { objectUrls } = reported.at(-1)!.data as { objectUrls: Record<string, string> };
    expect(await (await fetch(objectUrls['job-1']!)).text()).toBe(expected);
    expect(await site.runningJobIds()).toEqual([]);
  });

  it.each([
    {
      name: 'the engine refuses the file',
      inputKey: 'in-2',
      engine: { convert: () => Promise.reject(new ConversionError('not-a-video')) },
      reason: 'not-a-video',
    },
    { name: 'the input is gone', inputKey: 'never-stored', engine: mp3Engine, reason: 'input-missing' },
  ])('reports a failure when $name', async ({ inputKey, engine, reason }) => {
    await putBlob('inputs', 'in-2', new Blob(['video']));
    const { site, reported } = siteWith(engine);
    await convert(site, 'job-2', inputKey);
    await vi.waitFor(() => expect(reported.at(-1)).toEqual({ type: 'job:failed', data: { jobId: 'job-2', reason } }));
  });

  it('lists a running job and stops it on cancel without reporting an outcome', async () => {
    await putBlob('inputs', 'in-3', new Blob(['video']));
    let started = false;
    let aborted = false;
    const waitsForCancel: Engine = {
      convert: (_request, _onProgress, signal) =>
        new Promise((_resolve, reject) => {
          started = true;
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    };
    const { site, reported } = siteWith(waitsForCancel);
    await convert(site, 'job-3', 'in-3');
    await vi.waitFor(() => expect(started).toBe(true));
    expect(await site.runningJobIds()).toEqual(['job-3']);
    await site.cancel('job-3');
    await vi.waitFor(() => expect(aborted).toBe(true));
    await vi.waitFor(async () => expect(await site.runningJobIds()).toEqual([]));
    expect(reported.map((report) => report.type)).toEqual(['job:progress']);
  });

  it('keeps the event page alive with an API call every 20 s while a conversion runs, then stops', async () => {
    await putBlob('inputs', 'in-5', new Blob(['video']));
    const calls = vi
      .spyOn(browser.runtime, 'getPlatformInfo')
      .mockResolvedValue({ os: 'linux', arch: 'x86-64' } as never);
    let started = false;
    const waitsForCancel: Engine = {
      convert: (_request, _onProgress, signal) =>
        new Promise((_resolve, reject) => {
          started = true;
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    };
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { site } = siteWith(waitsForCancel);
      await convert(site, 'job-5', 'in-5');
      await vi.waitFor(() => expect(started).toBe(true));
      await vi.advanceTimersByTimeAsync(19_000);
      expect(calls).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(21_000);
      expect(calls).toHaveBeenCalledTimes(2);
      await site.cancel('job-5');
      await vi.waitFor(async () => expect(await site.runningJobIds()).toEqual([]));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(calls).toHaveBeenCalledTimes(2);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
      calls.mockRestore();
    }
  });

  it('does not turn a handler that throws into a failed conversion', async () => {
    await putBlob('inputs', 'in-4', new Blob(['video']));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { site, reported } = siteWith(mp3Engine, 'job:converted');
    await convert(site, 'job-4', 'in-4');
    await vi.waitFor(() => expect(reported.map((report) => report.type)).toContain('job:converted'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reported.map((report) => report.type)).not.toContain('job:failed');
    expect(console.error).toHaveBeenCalledWith('Handling job:converted failed', expect.any(Error));
  });
});

describe('one conversion at a time', () => {
  /** An engine whose conversions finish when the test says, recording which inputs it was given. */
  function engineOnCue() {
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const engine: Engine = {
      convert: (request, onProgress, signal) =>
        new Promise((resolve, reject) => {
          started.push(request.fileName);
          const beat = setInterval(() => onProgress(0.5), 20);
          finishers.set(request.fileName, () => {
            clearInterval(beat);
            resolve({ mp3: new Blob([`mp3 of ${request.fileName}`]), durationSeconds: 1 });
          });
          signal.addEventListener('abort', () => (clearInterval(beat), reject(signal.reason)));
        }),
    };
    return { engine, started, finish: (name: string) => finishers.get(name)!() };
  }

  async function start(site: ReturnType<typeof siteWith>['site'], name: string, stallLimitMs = 60_000) {
    await putBlob('inputs', `in-${name}`, new Blob(['video']));
    await site.send('site:convert', {
      jobId: name,
      source: { kind: 'stored-file', inputKey: `in-${name}` },
      fileName: name,
      bitrate: 192,
      keepMp3Audio: false,
      normalizeLoudness: false,
      title: name,
      stallLimitMs,
    });
  }

  const reportsOf = (reported: Reported[], jobId: string) =>
    reported
      .filter((report) => (report.data as { jobId: string }).jobId === jobId)
      .map((report) => {
        const data = report.data as { phase?: string };
        return data.phase ? `${report.type} ${data.phase}` : report.type;
      });

  it('starts the next conversion once the one before is done, in order, and says the others wait', async () => {
    const { engine, started, finish } = engineOnCue();
    const { site, reported } = siteWith(engine);
    for (const name of ['a', 'b', 'c']) await start(site, name);
    await vi.waitFor(() => expect(started).toEqual(['a']));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toEqual(['a']);
    expect(await site.runningJobIds()).toEqual(['a', 'b', 'c']);
    finish('a');
    await vi.waitFor(() => expect(started).toEqual(['a', 'b']));
    finish('b');
    await vi.waitFor(() => expect(started).toEqual(['a', 'b', 'c']));
    finish('c');
    await vi.waitFor(() => expect(reportsOf(reported, 'c')).toContain('job:converted'));
    expect(reportsOf(reported, 'a')).not.toContain('job:progress waiting');
    for (const name of ['b', 'c']) {
      const reports = reportsOf(reported, name);
      expect(reports.indexOf('job:progress waiting')).toBeGreaterThan(reports.indexOf('job:progress reading'));
      expect(reports.indexOf('job:progress waiting')).toBeLessThan(reports.indexOf('job:progress converting'));
    }
    expect(await (await getBlob('outputs', 'c'))?.text()).toBe('mp3 of c');
  });

  it('does not count the wait against the stall limit', async () => {
    const { engine, started, finish } = engineOnCue();
    const { site, reported } = siteWith(engine);
    await start(site, 'long', 150);
    await start(site, 'next', 150);
    await vi.waitFor(() => expect(started).toEqual(['long']));
    await new Promise((resolve) => setTimeout(resolve, 400));
    finish('long');
    await vi.waitFor(() => expect(started).toEqual(['long', 'next']));
    finish('next');
    await vi.waitFor(() => expect(reportsOf(reported, 'next')).toContain('job:converted'));
    expect(reported.map((report) => report.type)).not.toContain('job:failed');
  });

  it('never hands a job cancelled while it waits to the engine, and goes on with the next', async () => {
    const { engine, started, finish } = engineOnCue();
    const { site, reported } = siteWith(engine);
    for (const name of ['first', 'cancelled', 'last']) await start(site, name);
    await vi.waitFor(() => expect(started).toEqual(['first']));
    await site.cancel('cancelled');
    finish('first');
    await vi.waitFor(() => expect(started).toEqual(['first', 'last']));
    finish('last');
    await vi.waitFor(() => expect(reportsOf(reported, 'last')).toContain('job:converted'));
    expect(reportsOf(reported, 'cancelled')).toEqual(['job:progress reading', 'job:progress waiting']);
    expect(await site.runningJobIds()).toEqual([]);
  });

  it('takes the turn from a conversion that stalled, even if its engine never settles', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { engine, started, finish } = engineOnCue();
    const frozen: Engine = {
      convert: (request, onProgress, signal) =>
        request.fileName === 'frozen' ? new Promise(() => {}) : engine.convert(request, onProgress, signal),
    };
    const { site, reported } = siteWith(frozen);
    await start(site, 'frozen', 100);
    await start(site, 'after', 100);
    await vi.waitFor(() => expect(reportsOf(reported, 'frozen')).toContain('job:failed'));
    await vi.waitFor(() => expect(started).toEqual(['after']));
    finish('after');
    await vi.waitFor(() => expect(reportsOf(reported, 'after')).toContain('job:converted'));
    expect(reported.find((report) => report.type === 'job:failed')?.data).toEqual({
      jobId: 'frozen',
      reason: 'stalled',
    });
  });
});
