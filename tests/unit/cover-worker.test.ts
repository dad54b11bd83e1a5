import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COVER_TIME_LIMIT_MS, coverInWorker, warmUpCoverArt } from '../../utils/engines/local/cover-worker';

/** Stands in for the cover's worker: records what it is sent and whether it was let go. */
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  sent: unknown[] = [];
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
}

const video = new Blob(['not really a video']);
const jpeg = { data: new Uint8Array([0xff, 0xd8]), mimeType: 'image/jpeg', kind: 'coverFront' } as const;

describe('coverInWorker', () => {
  beforeEach(() => {
    FakeWorker.made = [];
    vi.stubGlobal('Worker', FakeWorker);
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it.each([
    { answer: (worker: FakeWorker) => worker.onmessage!({ data: jpeg }), expected: jpeg, case: 'the JPEG it sends back' },
    { answer: (worker: FakeWorker) => worker.onmessage!({ data: null }), expected: undefined, case: 'no cover when it found no frame' },
    { answer: (worker: FakeWorker) => worker.onerror!(), expected: undefined, case: 'no cover when the worker fails' },
  ])('gives $case, and lets the worker go', async ({ answer, expected }) => {
    const cover = coverInWorker(video);
    const [worker] = FakeWorker.made;
    expect(worker!.sent).toEqual([video]);
    answer(worker!);
    await expect(cover).resolves.toEqual(expected);
    expect(worker!.terminated).toBe(true);
  });

  it('leaves the cover out, and lets the worker go, when it takes longer than the limit', async () => {
    let settled = false;
    const cover = coverInWorker(video).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(COVER_TIME_LIMIT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(cover).resolves.toBeUndefined();
    expect(FakeWorker.made[0]!.terminated).toBe(true);
  });

  it('uses the worker started ahead once, then starts a fresh one', async () => {
    warmUpCoverArt();
    warmUpCoverArt();
    expect(FakeWorker.made).toHaveLength(1);
    const first = coverInWorker(video);
    expect(FakeWorker.made).toHaveLength(1);
    FakeWorker.made[0]!.onmessage!({ data: null });
    await first;
    const second = coverInWorker(video);
    expect(FakeWorker.made).toHaveLength(2);
    FakeWorker.made[1]!.onmessage!({ data: null });
    await second;
  });
});
