import { ConversionError } from '../failures';

type StallReason = 'download-stalled' | 'stalled';

/**
 * Rejects `stopped` once `touch()` hasn't been called for `limitMs`, with the reason of the last
 * touch: a download that stopped arriving reads differently from a conversion that stopped moving.
 */
export class StallWatch {
  readonly stopped: Promise<never>;
  fired = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reject: (error: ConversionError) => void = () => {};

  constructor(
    private readonly limitMs: number,
    private reason: StallReason = 'download-stalled',
  ) {
    this.stopped = new Promise<never>((_, reject) => (this.reject = reject));
    // Nobody may be racing it any more when it fires.
    this.stopped.catch(() => undefined);
    this.touch(reason);
  }

  /** Something happened; `reason` says what not hearing more would mean, when it changes. */
  touch(reason = this.reason): void {
    this.reason = reason;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.reject(new ConversionError(reason, `nothing happened for ${this.limitMs} ms`));
    }, this.limitMs);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
