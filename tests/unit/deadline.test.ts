import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadline } from '../../utils/timing/deadline';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('deadline', () => {
  it('aborts with a TimeoutError once the time is up', () => {
    const { signal } = deadline(100, 'too slow');
    vi.advanceTimersByTime(99);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.reason).toMatchObject({ name: 'TimeoutError', message: 'too slow' });
  });

  it('never aborts once cleared, and leaves no timer', () => {
    const { signal, clear } = deadline(100);
    clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(signal.aborted).toBe(false);
  });
});
