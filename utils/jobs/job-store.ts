import { z } from 'zod';
import { storage } from 'wxt/utils/storage';
import { canTransition, jobSchema, type Job, type JobState } from './job';
import { oneAtATime } from '../one-at-a-time';

/** Every job that is not finished yet, by id. Only the background writes it; pages watch it. */
export const jobsItem = storage.defineItem<Record<string, Job>>('local:jobs', { fallback: {} });

const jobsSchema = z.record(
  z.string(),
  jobSchema.catch((context) => context.value as Job),
);

export async function readJobs(): Promise<Job[]> {
  const jobs = Object.values(jobsSchema.parse(await jobsItem.getValue()));
  return jobs.sort((a, b) => a.createdAt - b.createdAt);
}

/** One job by id, or undefined when it is gone. */
export async function readJob(id: string): Promise<Job | undefined> {
  return (await jobsItem.getValue())[id];
}

const exclusive = oneAtATime();

/** Runs `change` on the current jobs with no other write in between, and saves what it returns. */
export function mutateJobs<T>(change: (jobs: Record<string, Job>) => T): Promise<T> {
  return exclusive(async () => {
    const jobs = { ...(await jobsItem.getValue()) };
    const result = change(jobs);
    await jobsItem.setValue(jobs);
    return result;
  });
}

/** Replaces one job by what `next` makes of it, with no other write in between; nothing is written when it makes nothing. */
function changeJob(id: string, next: (job: Job) => Job | undefined): Promise<Job | undefined> {
  return exclusive(async () => {
    const jobs = await jobsItem.getValue();
    const job = jobs[id];
    const changed = job && next(job);
    if (!changed) return undefined;
    await jobsItem.setValue({ ...jobs, [id]: changed });
    return changed;
  });
}

/**
 * Moves a job to `state` (and applies `patch`) if the state machine allows it.
 * Returns the updated job, or undefined when the job is gone or the move is not allowed
 * (a late progress report for a cancelled job, say).
 */
export function transition(id: string, state: JobState, patch: Partial<Job> = {}): Promise<Job | undefined> {
  return changeJob(id, (job) =>
    canTransition(job.state, state) ? { ...job, ...patch, state, updatedAt: Date.now() } : undefined,
  );
}

/** Updates a job's fields without changing its state; only while it is in one of `states`. */
export function patchJob(
  id: string,
  states: readonly JobState[],
  patch: Partial<Omit<Job, 'state'>>,
): Promise<Job | undefined> {
  return changeJob(id, (job) =>
    states.includes(job.state) ? { ...job, ...patch, state: job.state, updatedAt: Date.now() } : undefined,
  );
}

export function removeJob(id: string): Promise<Job | undefined> {
  return mutateJobs((jobs) => {
    const job = jobs[id];
    delete jobs[id];
    return job;
  });
}
