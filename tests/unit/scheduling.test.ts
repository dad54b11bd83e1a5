import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ConversionSite } from '../../utils/jobs/conversion-site-type';

const send = vi.hoisted(() => vi.fn());

vi.mock('../../utils/jobs/conversion-site', () => ({
  conversionSite: {
    send: send as ConversionSite['send'],
    runningJobIds: () => Promise.resolve([]),
    cancel: () => Promise.resolve(),
    warmUp: () => Promise.resolve(),
    close: () => Promise.resolve(),
    onReports: () => undefined,
  } satisfies ConversionSite,
}));

const { jobQueue } = await import('../../utils/jobs/queue');
const { readJobs, transition } = await import('../../utils/jobs/job-store');
const { updateSettings } = await import('../../utils/settings');

const file = (fileName: string) => ({ fileName, size: 1, inputKey: `key-${fileName}` });

describe('starting queued jobs', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    send.mockReset().mockResolvedValue({ ok: true });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  // A stored video that is gone is the conversion site's to find (it may have the handed-over File).
  it('shows a job the conversion site can’t be asked to start as failed, and starts the next', async () => {
    send.mockImplementation((_type, data: { fileName?: string }) =>
      data.fileName === 'a.mp4' ? Promise.reject(new Error('no site')) : Promise.resolve(),
    );

    await jobQueue.start({ files: [file('a.mp4'), file('b.mp4')] });

    const jobs = Object.fromEntries((await readJobs()).map((job) => [job.sourceName, job]));
    expect(jobs['a.mp4']).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/went wrong while converting “a\.mp4”/),
    });
    expect(jobs['b.mp4']?.state).toBe('reading');
    expect(send).toHaveBeenCalledWith('site:convert', expect.objectContaining({ jobId: jobs['b.mp4']!.id }));
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe('the format a job is made in', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    send.mockReset().mockResolvedValue({ ok: true });
  });

  it.each([
    { from: 'the popup', exactCut: undefined, format: 'original' },
    { from: 'the editor, which cuts to the sample', exactCut: true as const, format: 'mp3' },
  ])('with Format original, from $from: $format, and the same after Retry', async ({ exactCut, format }) => {
    await updateSettings({ format: 'original' });
    await jobQueue.start({ files: [file('a.mp4')], trim: { startSeconds: 1 }, ...(exactCut ? { exactCut } : {}) });
    const [job] = await readJobs();
    expect(job?.format).toBe(format);

    await transition(job!.id, 'failed', { error: 'stopped' });
    await jobQueue.retry(job!.id);
    expect((await readJobs())[0]?.format).toBe(format);
  });
});
