import type { AudioSample } from 'mediabunny';

/** Sample frames [from, to) of `sample`, planar in one buffer, with a view of each channel's plane. */
export function copyPlanes(sample: AudioSample, from: number, to: number): { planar: Float32Array; planes: Float32Array[] } {
  const length = to - from;
  const planar = new Float32Array(sample.numberOfChannels * length);
  const planes = Array.from({ length: sample.numberOfChannels }, (_, planeIndex) => {
    const plane = planar.subarray(planeIndex * length, (planeIndex + 1) * length);
    sample.copyTo(plane, { planeIndex, format: 'f32-planar', frameOffset: from, frameCount: length });
    return plane;
  });
  return { planar, planes };
}

/**
 * A run of planar PCM, copied out one channel at a time: decoded audio is copied straight into the
 * buffers that need it, without a copy of its own in between.
 */
export interface PcmChunk {
  readonly length: number;
  /** Copies samples [offset, offset + destination.length) of `channel` into `destination`. */
  copyTo(channel: number, destination: Float32Array, offset: number): void;
}

export function planesChunk(planes: Float32Array[]): PcmChunk {
  return {
    length: planes[0]?.length ?? 0,
    copyTo: (channel, destination, offset) => destination.set(planes[channel]!.subarray(offset, offset + destination.length)),
  };
}

/** Sample frames [from, to) of `sample`, read only when copied (so only while the sample is open). */
export function sampleChunk(sample: AudioSample, from: number, to: number): PcmChunk {
  return {
    length: to - from,
    copyTo: (planeIndex, destination, offset) =>
      sample.copyTo(destination, { planeIndex, format: 'f32-planar', frameOffset: from + offset, frameCount: destination.length }),
  };
}

/** The chunk's PCM in planes of its own. */
export function chunkPlanes(chunk: PcmChunk, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, channel) => {
    const plane = new Float32Array(chunk.length);
    chunk.copyTo(channel, plane, 0);
    return plane;
  });
}
