/**
 * A signal that aborts with a TimeoutError once `ms` have passed, unless `clear()` comes first.
 * Unlike `AbortSignal.timeout`, it can be called off: a reply may be in time, and its body then
 * read for longer than the limit.
 */
export function deadline(
  ms: number,
  message = `no answer within ${ms} ms`,
): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(message, 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
