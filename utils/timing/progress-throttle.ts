/** Passes a progress value on to `report`, or drops it. */
export type ProgressReport = (progress: number) => void;

export interface ThrottleOptions {
  /** The smallest change worth passing on; the first value at or past it always goes at once. */
  minStep?: number;
  /** Least time between two changes passed on (the first visible step and the end don't wait). */
  minIntervalMs?: number;
  /** A value that stands still is passed on again this often, so stall watches downstream hear of the job. */
  heartbeatMs?: number;
  now?: () => number;
}

/** Half a percent: as fine as a progress bar shows. */
const VISIBLE_STEP = 0.005;

/**
 * Passes on only the progress a person could see, and a heartbeat. A decoder reports every 20 ms of
 * sound, ten thousand times for a 4-minute video; passing each one on (a worker message, a runtime
 * message, a storage write) costs far more than the conversion step it reports.
 */
export function throttleProgress(
  report: ProgressReport,
  {
    minStep = VISIBLE_STEP,
    minIntervalMs = 0,
    heartbeatMs = 1000,
    now = () => performance.now(),
  }: ThrottleOptions = {},
): ProgressReport {
  let reported = Number.NEGATIVE_INFINITY;
  let reportedAt = Number.NEGATIVE_INFINITY;
  let shownStep = false;
  return (progress) => {
    const at = now();
    const finished = progress === 1 && reported !== 1;
    const firstStep = !shownStep && progress >= minStep;
    const moved = Math.abs(progress - reported) >= minStep && at - reportedAt >= minIntervalMs;
    if (!finished && !firstStep && !moved && at - reportedAt < heartbeatMs) return;
    shownStep ||= firstStep;
    reported = progress;
    reportedAt = at;
    report(progress);
  };
}
