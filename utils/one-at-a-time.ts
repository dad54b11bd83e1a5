/**
 * A queue for read-change-write work in this JS context: each task starts when the one before has
 * settled, so two writers never interleave. A failed task doesn't stop the ones after it.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };
}
