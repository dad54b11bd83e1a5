import type { ProgressListener } from '../engine';

/** Half a percent: as fine as a progress bar shows. */
const MIN_STEP = 0.005;
/** Reported at least this often while a job is alive, even without a step, for the stall watch. */
const HEARTBEAT_MS = 1000;

/**
 * Passes on only the progress a person could see, and a heartbeat. The decoder reports every
 * 20 ms of sound, ten thousand times for a 4-minute video; posting each from the conversion
 * worker cost a tenth of its time.
 */
export function throttledProgress(report: ProgressListener, now: () => number = () => performance.now()): ProgressListener {
  let reported = Number.NEGATIVE_INFINITY;
  let reportedAt = Number.NEGATIVE_INFINITY;
  return (progress) => {
    const at = now();
    const finished = progress === 1 && reported !== 1;
    if (!finished && Math.abs(progress - reported) < MIN_STEP && at - reportedAt < HEARTBEAT_MS) return;
    reported = progress;
    reportedAt = at;
    report(progress);
  };
}
