/** The error a cancelled job's steps stop with, as `AbortSignal.abort()` gives. */
export function cancelledError(): DOMException {
  return new DOMException('Cancelled', 'AbortError');
}

/** A job's step stopped because it was cancelled, not because something went wrong. */
export function isCancellation(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
