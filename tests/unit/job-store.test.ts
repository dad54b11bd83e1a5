import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Job, JobState } from '@/utils/jobs/job';
import { jobsItem, mutateJobs, patchJob, readJobs, transition } from '@/utils/jobs/job-store';

function makeJob(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    sourceName: `${id}.mp4`,
    outputName: `${id}.mp3`,
    sourceSize: 1000,
    engine: 'local',
    bitrate: 192,
    source: { kind: 'stored-file', inputKey: `input-${id}` },
    state: 'queued',
    progress: 0,
    attempts: 0,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

const storeJobs = (...jobs: Job[]) => jobsItem.setValue(Object.fromEntries(jobs.map((job) => [job.id, job])));
const storedJob = async (id: string) => (await jobsItem.getValue())[id];

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('mutateJobs', () => {
  it.each([
    { writers: 20, failing: [] as number[] },
    { writers: 20, failing: [3, 10, 17] },
  ])('loses no update from $writers concurrent writers (failing: $failing)', async ({ writers, failing }) => {
    await storeJobs(makeJob('a'));
    const results = await Promise.allSettled(
      Array.from({ length: writers }, (_, index) =>
        mutateJobs((jobs) => {
          const job = jobs.a!;
          if (failing.includes(index)) throw new Error(`writer ${index}`);
          jobs.a = { ...job, attempts: job.attempts + 1 };
          return index;
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(failing.length);
    expect(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))).toEqual(
      Array.from({ length: writers }, (_, index) => index).filter((index) => !failing.includes(index)),
    );
    expect((await storedJob('a'))?.attempts).toBe(writers - failing.length);
  });

  it('does not save the changes of a writer that throws', async () => {
    await storeJobs(makeJob('a'));
    await expect(
      mutateJobs((jobs) => {
        jobs.a = { ...jobs.a!, attempts: 99 };
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await storedJob('a'))?.attempts).toBe(0);
  });
});

describe('transition', () => {
  it.each<[JobState, JobState]>([
    ['queued', 'reading'],
    ['reading', 'converting'],
    ['converting', 'saving'],
    ['saving', 'done'],
    ['converting', 'cancelled'],
    ['failed', 'queued'],
  ])('moves %s → %s, applies the patch and stamps updatedAt', async (from, to) => {
    await storeJobs(makeJob('a', { state: from }));
    vi.spyOn(Date, 'now').mockReturnValue(5000);
    const expected = { ...makeJob('a'), state: to, progress: 0.5, updatedAt: 5000 };
    expect(await transition('a', to, { progress: 0.5 })).toEqual(expected);
    expect(await storedJob('a')).toEqual(expected);
  });

  it.each<[JobState, JobState]>([
    ['done', 'queued'],
    ['done', 'failed'],
    ['queued', 'done'],
    ['queued', 'converting'],
    ['failed', 'converting'],
    ['cancelled', 'saving'],
    ['converting', 'converting'],
  ])('refuses %s → %s, returns undefined and leaves the job untouched', async (from, to) => {
    const before = makeJob('a', { state: from, progress: 0.25 });
    await storeJobs(before);
    expect(await transition('a', to, { progress: 0.9, error: 'late' })).toBeUndefined();
    expect(await storedJob('a')).toEqual(before);
  });

  it('returns undefined for a job that does not exist, and does not create it', async () => {
    await storeJobs(makeJob('a'));
    expect(await transition('missing', 'reading')).toBeUndefined();
    expect(Object.keys(await jobsItem.getValue())).toEqual(['a']);
  });

  it('sets the target state even when the patch carries another one', async () => {
    await storeJobs(makeJob('a', { state: 'queued' }));
    expect(await transition('a', 'reading', { state: 'done' })).toMatchObject({ state: 'reading' });
    expect(await storedJob('a')).toMatchObject({ state: 'reading' });
  });
});

describe('patchJob', () => {
  it.each<[JobState, JobState[]]>([
    ['converting', ['converting']],
    ['reading', ['reading', 'converting']],
    ['saving', ['saving']],
  ])('patches a %s job when %j are allowed', async (state, states) => {
    await storeJobs(makeJob('a', { state }));
    vi.spyOn(Date, 'now').mockReturnValue(7000);
    const expected = { ...makeJob('a'), state, progress: 0.4, updatedAt: 7000 };
    expect(await patchJob('a', states, { progress: 0.4 })).toEqual(expected);
    expect(await storedJob('a')).toEqual(expected);
  });

  it.each<[JobState, JobState[]]>([
    ['queued', ['converting']],
    ['cancelled', ['reading', 'converting']],
    ['done', ['saving']],
    ['converting', []],
  ])('does not patch a %s job when only %j are allowed', async (state, states) => {
    const before = makeJob('a', { state });
    await storeJobs(before);
    expect(await patchJob('a', states, { progress: 0.4 })).toBeUndefined();
    expect(await storedJob('a')).toEqual(before);
  });

  it('returns undefined for a job that does not exist, and does not create it', async () => {
    expect(await patchJob('missing', ['queued'], { progress: 1 })).toBeUndefined();
    expect(await jobsItem.getValue()).toEqual({});
  });

  it('never changes the state, even when the patch carries one', async () => {
    await storeJobs(makeJob('a', { state: 'converting' }));
    await patchJob('a', ['converting'], { state: 'done', progress: 0.4 } as Parameters<typeof patchJob>[2]);
    expect(await storedJob('a')).toMatchObject({ state: 'converting', progress: 0.4 });
  });
});

describe('readJobs', () => {
  it.each([[[30, 10, 20]], [[10, 20, 30]], [[30, 20, 10]], [[20, 30, 10]]])(
    'sorts jobs stored with createdAt %j oldest first',
    async (createdAts) => {
      await storeJobs(...createdAts.map((createdAt) => makeJob(`job-${createdAt}`, { createdAt })));
      expect((await readJobs()).map((job) => job.id)).toEqual(['job-10', 'job-20', 'job-30']);
    },
  );

  it('returns an empty list when nothing is stored', async () => {
    expect(await readJobs()).toEqual([]);
  });
});
