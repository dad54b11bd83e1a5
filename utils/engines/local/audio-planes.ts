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
