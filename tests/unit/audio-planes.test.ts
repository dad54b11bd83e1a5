import { describe, expect, it } from 'vitest';
import { sampleChunk, type DecodedPcm } from '@/utils/engines/local/audio-planes';

/** Decoded audio whose channel c, frame i, is c * 1000 + i; it records the arrays it copies into. */
function fakeDecoded(numberOfFrames: number, channels: number): DecodedPcm & { destinations: Float32Array[] } {
  const destinations: Float32Array[] = [];
  return {
    timestamp: 0,
    numberOfFrames,
    destinations,
    copyTo(destination, { planeIndex, frameOffset, frameCount }) {
      if (planeIndex >= channels || frameOffset + frameCount > numberOfFrames || destination.length < frameCount)
        throw new RangeError('out of range');
      destinations.push(destination);
      for (let i = 0; i < frameCount; i++) destination[i] = planeIndex * 1000 + frameOffset + i;
    },
  };
}

describe('sampleChunk', () => {
  it.each([
    { label: 'the whole of it', from: 0, to: 1024, offset: 0, length: 1024 },
    { label: 'a trimmed part', from: 100, to: 900, offset: 0, length: 800 },
    { label: 'the rest of a trimmed part', from: 100, to: 900, offset: 300, length: 500 },
    { label: 'one frame', from: 1023, to: 1024, offset: 0, length: 1 },
  ])('copies $label of each channel', ({ from, to, offset, length }) => {
    const chunk = sampleChunk(fakeDecoded(1024, 2), from, to);
    expect(chunk.length).toBe(to - from);
    for (const channel of [0, 1]) {
      const destination = new Float32Array(length);
      chunk.copyTo(channel, destination, offset);
      expect(destination[0]).toBe(channel * 1000 + from + offset);
      expect(destination[length - 1]).toBe(channel * 1000 + from + offset + length - 1);
    }
  });

  it('hands the decoder the same array each time, not a fresh view of the destination', () => {
    const decoded = fakeDecoded(1024, 2);
    const plane = new Float32Array(4096);
    for (let start = 0; start < 4096; start += 1024) {
      for (const channel of [0, 1])
        sampleChunk(decoded, 0, 1024).copyTo(channel, plane.subarray(start, start + 1024), 0);
    }
    expect(new Set(decoded.destinations).size).toBe(1);
    expect(decoded.destinations[0]!.buffer).not.toBe(plane.buffer);
    expect(plane[3072]).toBe(1000);
  });
});
