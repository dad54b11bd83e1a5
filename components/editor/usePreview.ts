import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { fadeGain, fadeSpan, type Fades } from '@/utils/fades';
import type { Selection } from './Waveform';

/** Points a second of the gain curve, fewer on a long selection: the curve is interpolated linearly, as the fades are. */
const CURVE_POINTS_PER_SECOND = 1000;
const MAX_CURVE_POINTS = 200_000;

interface SoundPath {
  context: AudioContext;
  gain: GainNode;
}

/** A media element's sound can be taken into Web Audio once only: each video keeps its path. */
const paths = new WeakMap<HTMLVideoElement, SoundPath>();

function soundPathOf(video: HTMLVideoElement): SoundPath {
  let path = paths.get(video);
  if (!path) {
    const context = new AudioContext();
    const gain = context.createGain();
    context.createMediaElementSource(video).connect(gain).connect(context.destination);
    path = { context, gain };
    paths.set(video, path);
  }
  return path;
}

/** The fades' gain over the selection, as the MP3 will have it (utils/fades.ts), for `setValueCurveAtTime`. */
function gainCurve(fades: Fades, seconds: number): Float32Array {
  const pointsPerSecond = Math.min(CURVE_POINTS_PER_SECOND, MAX_CURVE_POINTS / Math.max(seconds, 1e-3));
  const points = Math.max(2, Math.round(seconds * pointsPerSecond));
  const span = fadeSpan(fades, pointsPerSecond, points);
  return Float32Array.from({ length: points }, (_, index) => fadeGain(index, span));
}

function seekTo(video: HTMLVideoElement, seconds: number): Promise<void> {
  return new Promise((resolve) => {
    video.addEventListener('seeked', () => resolve(), { once: true });
    video.currentTime = seconds;
  });
}

/**
 * **Play selection** through Web Audio: the video's sound from the start handle to the end one, with
 * the fades applied by a gain, while `onPosition` follows the playhead. The video shows its picture.
 */
export function usePreview(videoRef: RefObject<HTMLVideoElement | null>, onPosition: (seconds: number) => void) {
  const [playing, setPlaying] = useState(false);
  const frame = useRef<number>(undefined);
  const run = useRef(0);

  const stop = useCallback(() => {
    run.current++;
    if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    frame.current = undefined;
    const video = videoRef.current;
    if (video) {
      video.pause();
      paths.get(video)?.gain.gain.cancelScheduledValues(0);
    }
    setPlaying(false);
  }, [videoRef]);

  const play = useCallback(
    async (selection: Selection, fades: Fades | undefined) => {
      const video = videoRef.current;
      if (!video) return;
      const thisRun = ++run.current;
      setPlaying(true);
      const { context, gain } = soundPathOf(video);
      await context.resume();
      await seekTo(video, selection.start);
      await video.play();
      if (thisRun !== run.current) return;
      const seconds = selection.end - selection.start;
      gain.gain.cancelScheduledValues(0);
      if (fades) gain.gain.setValueCurveAtTime(gainCurve(fades, seconds), context.currentTime, seconds);
      else gain.gain.setValueAtTime(1, context.currentTime);
      const follow = () => {
        if (thisRun !== run.current) return;
        onPosition(Math.min(video.currentTime, selection.end));
        if (video.currentTime >= selection.end || video.paused || video.ended) stop();
        else frame.current = requestAnimationFrame(follow);
      };
      follow();
    },
    [videoRef, onPosition, stop],
  );

  useEffect(() => stop, [stop]);
  return { playing, play, stop };
}
