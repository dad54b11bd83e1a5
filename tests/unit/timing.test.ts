import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { within, sleep } from '../../utils/timing/timeout';
import { cancelledError, isCancellation } from '../../utils/timing/cancel';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('within', () => {
  it('settles as the work does when it is in time, and leaves no timer', async () => {
    await expect(within(Promise.resolve('done'), 100, () => 'late')).resolves.toBe('done');
    await expect(within(Promise.reject(new Error('broke')), 100, () => 'late')).rejects.toThrow('broke');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives what late() returns, or throws, once the time is up', async () => {
    const never = new Promise<string>(() => {});
    const value = within(never, 100, () => 'late');
    const thrown = within(never, 100, () => {
      throw new Error('too slow');
    });
    const checked = expect(thrown).rejects.toThrow('too slow');
    await vi.advanceTimersByTimeAsync(100);
    await expect(value).resolves.toBe('late');
    await checked;
  });
});

describe('sleep', () => {
  it('waits the time it is given', async () => {
    let woke = false;
    void sleep(50).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(49);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it("stops with the signal's reason, at once or while it waits", async () => {
    const reason = new Error('stop');
    await expect(sleep(50, AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const waiting = sleep(50, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('cancellation', () => {
  it.each([
    { error: cancelledError(), cancelled: true },
    { error: AbortSignal.abort().reason as unknown, cancelled: true },
    { error: new DOMException('late', 'TimeoutError'), cancelled: false },
    { error: new Error('Cancelled'), cancelled: false },
  ])('$error.name is a cancellation: $cancelled', ({ error, cancelled }) => {
    expect(isCancellation(error)).toBe(cancelled);
  });
});
