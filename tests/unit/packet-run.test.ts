import { describe, expect, it } from 'vitest';
import { PacketRun } from '../../utils/engines/local/mp4/sound-decoding';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('PacketRun gathers consecutive packets for one decoder chunk', () => {
  it.each([
    { packets: [bytes(1, 2, 3)], expected: [1, 2, 3], duration: 1024 },
    { packets: [bytes(1, 2), bytes(3), bytes(4, 5, 6)], expected: [1, 2, 3, 4, 5, 6], duration: 3072 },
  ])(
    '$packets.length packet(s): their bytes in order, the first one’s time, their durations summed',
    ({ packets, expected, duration }) => {
      const run = new PacketRun();
      packets.forEach((packet, index) => run.add(packet, 5000 + index * 1024, 1024));
      expect(run.count).toBe(packets.length);
      expect(run.firstDecodeTime).toBe(5000);
      expect(run.duration).toBe(duration);
      expect([...run.take()]).toEqual(expected);
      expect(run.count).toBe(0);
    },
  );

  it('starts afresh after a take, growing its buffer past 16 KB', () => {
    const run = new PacketRun();
    run.add(bytes(9, 9), 0, 1024);
    run.take();
    const big = new Uint8Array(20_000).map((_, index) => index % 251);
    run.add(big, 2048, 1024);
    run.add(bytes(7), 3072, 1024);
    const taken = run.take();
    expect(taken.length).toBe(20_001);
    expect(taken.subarray(0, 20_000)).toEqual(big);
    expect(taken[20_000]).toBe(7);
    expect(run.firstDecodeTime).toBe(2048);
  });

  it('hands a single packet out through a kept array of its size, not a fresh view each time', () => {
    const run = new PacketRun();
    run.add(bytes(1, 2, 3), 0, 1024);
    const first = run.take();
    run.add(bytes(4, 5, 6), 1024, 1024);
    const second = run.take();
    expect(second).toBe(first);
    expect([...second]).toEqual([4, 5, 6]);
  });
});
