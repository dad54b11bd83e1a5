import { describe, expect, it } from 'vitest';
import { throttledProgress } from '../../utils/engines/local/progress-throttle';

/** Each call: [time in ms, progress]; the result lists the progress values passed on. */
function run(calls: [number, number][]): number[] {
  const passed: number[] = [];
  let clock = 0;
  const listener = throttledProgress((progress) => passed.push(progress), () => clock);
  for (const [at, progress] of calls) {
    clock = at;
    listener(progress);
  }
  return passed;
}

describe('throttledProgress', () => {
  it.each<{ name: string; calls: [number, number][]; passed: number[] }>([
    { name: 'passes the first report', calls: [[0, 0]], passed: [0] },
    { name: 'drops steps under half a percent', calls: [[0, 0], [1, 0.002], [2, 0.0049], [3, 0.005]], passed: [0, 0.005] },
    { name: 'passes every visible step', calls: [[0, 0.1], [1, 0.2], [2, 0.3]], passed: [0.1, 0.2, 0.3] },
    { name: 'passes the end even right after a near step', calls: [[0, 0.998], [1, 1]], passed: [0.998, 1] },
    { name: 'passes the end once', calls: [[0, 1], [1, 1]], passed: [1] },
    { name: 'repeats a standing value once a second, for the stall watch', calls: [[0, 0.5], [999, 0.5], [1000, 0.5], [1500, 0.5], [2000, 0.5]], passed: [0.5, 0.5, 0.5] },
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
