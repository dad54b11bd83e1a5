import { KeptArrays } from './kept-arrays';

/** Decoded audio on the track's timeline (a mediabunny AudioSample, or our own), readable until the next one is asked for. */
export interface DecodedPcm {
  /** Seconds, rounded to the sample rate. */
  readonly timestamp: number;
  readonly numberOfFrames: number;
  copyTo(
    destination: Float32Array,
    options: { planeIndex: number; format: 'f32-planar'; frameOffset: number; frameCount: number },
  ): void;
}

/** A run of planar PCM, copied out one channel at a time into the buffers that need it. */
export interface PcmChunk {
  readonly length: number;
  /** Copies samples [offset, offset + destination.length) of `channel` into `destination`. */
  copyTo(channel: number, destination: Float32Array, offset: number): void;
}

export function planesChunk(planes: Float32Array[]): PcmChunk {
  return {
    length: planes[0]?.length ?? 0,
    copyTo: (channel, destination, offset) =>
      destination.set(planes[channel]!.subarray(offset, offset + destination.length)),
  };
}

/** What decoded audio is copied through on its way to a chunk's destination (a view of it would be a fresh array per chunk). */
const copies = new KeptArrays((length) => new Float32Array(length), 8);

/** Sample frames [from, to) of `sample`, read only when copied (so only while the sample is open). */
export function sampleChunk(sample: DecodedPcm, from: number, to: number): PcmChunk {
  return {
    length: to - from,
    copyTo: (planeIndex, destination, offset) => {
      const copy = copies.get(destination.length);
      sample.copyTo(copy, {
        planeIndex,
        format: 'f32-planar',
        frameOffset: from + offset,
        frameCount: destination.length,
      });
      destination.set(copy);
    },
  };
}

/** The chunk's PCM in a buffer of its own, planar, with a view of each channel's plane. */
export function chunkPlanes(chunk: PcmChunk, channels: number): { planar: Float32Array; planes: Float32Array[] } {
  const planar = new Float32Array(channels * chunk.length);
  const planes = Array.from({ length: channels }, (_, channel) => {
    const plane = planar.subarray(channel * chunk.length, (channel + 1) * chunk.length);
    chunk.copyTo(channel, plane, 0);
    return plane;
  });
  return { planar, planes };
}
