import { describe, expect, it } from 'vitest';
import { throttleProgress, type ThrottleOptions } from '../../utils/timing/progress-throttle';

/** Each call: [time in ms, progress]; the result lists the progress values passed on. */
function run(calls: [number, number][], options: ThrottleOptions = {}): number[] {
  const passed: number[] = [];
  let clock = 0;
  const listener = throttleProgress((progress) => passed.push(progress), { ...options, now: () => clock });
  for (const [at, progress] of calls) {
    clock = at;
    listener(progress);
  }
  return passed;
}

describe('throttleProgress', () => {
  it.each<{ name: string; calls: [number, number][]; passed: number[] }>([
    { name: 'passes the first report', calls: [[0, 0]], passed: [0] },
    {
      name: 'drops steps under half a percent',
      calls: [
        [0, 0],
        [1, 0.002],
        [2, 0.0049],
        [3, 0.005],
      ],
      passed: [0, 0.005],
    },
    {
      name: 'passes every visible step',
      calls: [
        [0, 0.1],
        [1, 0.2],
        [2, 0.3],
      ],
      passed: [0.1, 0.2, 0.3],
    },
    {
      name: 'passes the end even right after a near step',
      calls: [
        [0, 0.998],
        [1, 1],
      ],
      passed: [0.998, 1],
    },
    {
      name: 'passes the end once',
      calls: [
        [0, 1],
        [1, 1],
      ],
      passed: [1],
    },
    {
      name: 'repeats a standing value once a second, for the stall watch',
      calls: [
        [0, 0.5],
        [999, 0.5],
        [1000, 0.5],
        [1500, 0.5],
        [2000, 0.5],
      ],
      passed: [0.5, 0.5, 0.5],
    },
  ])('$name', ({ calls, passed }) => {
    expect(run(calls)).toEqual(passed);
  });

  it('turns ten thousand decoder reports of a long video into about two hundred', () => {
    const calls: [number, number][] = Array.from({ length: 11_250 }, (_, i) => [i * 0.2, (i + 1) / 11_250]);
    const passed = run(calls);
    expect(passed.length).toBeGreaterThan(190);
    expect(passed.length).toBeLessThan(210);
    expect(passed.at(-1)).toBe(1);
  });
});

describe('throttleProgress with a least interval (reports to the job queue)', () => {
  const options = { minIntervalMs: 200, heartbeatMs: 200 };
  it.each<{ name: string; calls: [number, number][]; passed: number[] }>([
    { name: 'passes the first report', calls: [[0, 0]], passed: [0] },
    {
      name: 'passes the first visible step at once',
      calls: [
        [0, 0],
        [10, 0.005],
        [20, 0.01],
      ],
      passed: [0, 0.005],
    },
    {
      name: 'holds later steps for the interval',
      calls: [
        [0, 0.1],
        [100, 0.2],
        [199, 0.3],
        [200, 0.4],
      ],
      passed: [0.1, 0.4],
    },
    {
      name: 'passes the end at once',
      calls: [
        [0, 0.5],
        [10, 1],
      ],
      passed: [0.5, 1],
    },
    {
      name: 'repeats a standing value each interval',
      calls: [
        [0, 0.5],
        [200, 0.5],
        [300, 0.5],
        [400, 0.5],
      ],
      passed: [0.5, 0.5, 0.5],
    },
  ])('$name', ({ calls, passed }) => {
    expect(run(calls, options)).toEqual(passed);
  });

  it('passes downloaded shares at most once an interval when any change counts', () => {
    const calls: [number, number][] = Array.from({ length: 100 }, (_, i) => [i * 20, i / 200]);
    expect(run(calls, { minStep: 0, ...options })).toHaveLength(10);
  });
});
