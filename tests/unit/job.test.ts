import { describe, expect, it } from 'vitest';
import { JOB_STATES, canTransition, isActive, isRunning, type Job, type JobState } from '@/utils/jobs/job';

const allowed: [JobState, JobState][] = [
  ['queued', 'reading'],
  ['queued', 'failed'],
  ['queued', 'cancelled'],
  ['queued', 'interrupted'],
  ['reading', 'converting'],
  ['reading', 'queued'],
  ['reading', 'failed'],
  ['reading', 'cancelled'],
  ['reading', 'interrupted'],
  ['converting', 'saving'],
  ['converting', 'queued'],
  ['converting', 'failed'],
  ['converting', 'cancelled'],
  ['converting', 'interrupted'],
  ['saving', 'done'],
  ['saving', 'failed'],
  ['saving', 'cancelled'],
  ['saving', 'interrupted'],
  ['failed', 'queued'],
  ['cancelled', 'queued'],
  ['interrupted', 'queued'],
  ['reading', 'choosing'],
  ['converting', 'choosing'],
  ['choosing', 'queued'],
  ['choosing', 'cancelled'],
];

const isAllowed = (from: JobState, to: JobState) => allowed.some(([f, t]) => f === from && t === to);
const forbidden = JOB_STATES.flatMap((from) =>
  JOB_STATES.filter((to) => !isAllowed(from, to)).map((to): [JobState, JobState] => [from, to]),
);

describe('canTransition', () => {
  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(forbidden)('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it.each<[string, JobState, JobState]>([
    ['a finished job never moves', 'done', 'queued'],
    ['a queued job cannot skip to done', 'queued', 'done'],
    ['a failed job must be queued again first', 'failed', 'converting'],
    ['a cancelled job cannot resume', 'cancelled', 'reading'],
    ['conversion cannot go back to reading', 'converting', 'reading'],
    ['reading cannot skip conversion', 'reading', 'saving'],
    ['an MP3 is saved once, never again', 'saving', 'saving'],
  ])('%s (%s → %s)', (_label, from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('covers every state pair', () => {
    expect(allowed.length + forbidden.length).toBe(JOB_STATES.length ** 2);
  });
});

describe('isRunning and isActive', () => {
  const inState = (state: JobState) => ({ state }) as Job;

  it('calls a job running while its engine reads or converts it, and active while it saves too', () => {
    expect(JOB_STATES.filter((state) => isRunning(inState(state)))).toEqual(['reading', 'converting']);
    expect(JOB_STATES.filter((state) => isActive(inState(state)))).toEqual(['reading', 'converting', 'saving']);
  });
});
