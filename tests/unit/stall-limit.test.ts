import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../utils/engines/engine';
import { hasBlob, putBlob } from '../../utils/blob-store';
import { ConversionHost, type Report } from '../../utils/site/conversions';
import type { JobSource } from '../../utils/jobs/job';

const LIMIT_MS = 80;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mp3 = { mp3: new Blob(['mp3']), durationSeconds: 1 };

/** Reports progress every `everyMs` for `forMs`, then finishes: never quiet for long. */
const steady = (everyMs: number, forMs: number): Engine => ({
  async convert(_request, onProgress) {
    for (let elapsed = 0; elapsed < forMs; elapsed += everyMs) {
      onProgress(elapsed / forMs);
      await sleep(everyMs);
    }
    return mp3;
  },
});
/** Never answers and never reports: a decoder that swallowed its input. */
const silent: Engine = { convert: () => new Promise(() => {}) };
/** Reports a little, then goes quiet and, ignoring the abort, finishes far too late. */
const stopsThenFinishesLate: Engine = {
  async convert(_request, onProgress) {
    onProgress(0.2);
    await sleep(LIMIT_MS * 4);
    return mp3;
  },
};

/** A web server that sends the first bytes of the video and then nothing more, without closing. */
function stallingFetch(): typeof fetch {
  return async (_input, init) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(1000));
        init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
      },
    });
    return new Response(body, { headers: { 'Content-Length': '5000' } });
  };
}

async function run(
  engine: Engine,
  source: JobSource,
  jobId: string,
  { stallLimitMs }: { stallLimitMs?: number } = { stallLimitMs: LIMIT_MS },
) {
  const reports: { type: string; data: unknown }[] = [];
  const report: Report = async (type, data) => void reports.push({ type, data });
  const host = new ConversionHost(engine, report);
  host.start({
    jobId,
    source,
    fileName: 'clip.mp4',
    bitrate: 192,
    keepMp3Audio: false,
    normalizeLoudness: false,
    title: 'clip',
    ...(stallLimitMs ? { stallLimitMs } : {}),
  });
  await vi.waitFor(() => expect(host.runningJobIds()).toEqual([]), { timeout: 2000 });
  await sleep(LIMIT_MS * 5);
  return reports.filter((entry) => entry.type !== 'job:progress');
}

describe('the stall limit on local jobs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    {
      name: 'a conversion that reports progress steadily, for longer than the limit, finishes',
      engine: steady(20, LIMIT_MS * 4),
      outcome: 'job:converted',
      jobId: 'job-steady',
    },
    { name: 'a conversion that never answers is stopped', engine: silent, outcome: 'stalled', jobId: 'job-silent' },
    {
      name: 'a conversion that goes quiet is stopped, and its late MP3 is neither reported nor kept',
      engine: stopsThenFinishesLate,
      outcome: 'stalled',
      jobId: 'job-late',
    },
  ])('$name', async ({ engine, outcome, jobId }) => {
    await putBlob('inputs', `in-${jobId}`, new Blob(['video']));
    const reports = await run(engine, { kind: 'stored-file', inputKey: `in-${jobId}` }, jobId);
    if (outcome === 'job:converted') {
      expect(reports.map((entry) => entry.type)).toEqual(['job:converted']);
    } else {
      expect(reports).toEqual([{ type: 'job:failed', data: { jobId, reason: outcome } }]);
      expect(await hasBlob('outputs', jobId)).toBe(false);
    }
  });

  it('stops a web video whose download stopped arriving, saying it is the download', async () => {
    vi.stubGlobal('fetch', stallingFetch());
    const reports = await run(steady(1, 1), { kind: 'url', url: 'https://example.com/clip.mp4' }, 'job-download');
    expect(reports).toEqual([{ type: 'job:failed', data: { jobId: 'job-download', reason: 'download-stalled' } }]);
  });

  it('keeps to the default limit when the queue gives none', async () => {
    const jobId = 'job-default';
    await putBlob('inputs', `in-${jobId}`, new Blob(['video']));
    const reports = await run(steady(30, 300), { kind: 'stored-file', inputKey: `in-${jobId}` }, jobId, {});
    expect(reports.map((entry) => entry.type)).toEqual(['job:converted']);
  });
});

/** A worker whose thread is stuck in an endless loop: it takes messages and never answers. */
class FrozenWorker {
  static started: FrozenWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor() {
    FrozenWorker.started.push(this);
  }
  postMessage(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

describe('the stall limit on a conversion frozen in its worker', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('terminates the frozen worker, reports the job as stalled, and runs the next job in a new worker', async () => {
    vi.stubGlobal('Worker', FrozenWorker);
    const { workerEngine } = await import('../../utils/engines/local/worker-engine');
    const engine = workerEngine();
    engine.warmUp?.();
    await putBlob('inputs', 'in-frozen', new Blob(['video']));
    const reports = await run(engine, { kind: 'stored-file', inputKey: 'in-frozen' }, 'job-frozen');
    expect(reports).toEqual([{ type: 'job:failed', data: { jobId: 'job-frozen', reason: 'stalled' } }]);
    expect(FrozenWorker.started.map((worker) => worker.terminated)).toEqual([true]);

    await putBlob('inputs', 'in-next', new Blob(['video']));
    await run(engine, { kind: 'stored-file', inputKey: 'in-next' }, 'job-next');
    expect(FrozenWorker.started.map((worker) => worker.terminated)).toEqual([true, true]);
  });
});
