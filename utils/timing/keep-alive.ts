/**
 * Chrome stops an idle service worker after ~30 s, and Firefox suspends an idle event page after
 * 30 s, even mid-job; an extension API call resets that clock.
 */
const KEEP_ALIVE_MS = 20_000;

export interface KeepAlive {
  stop(): void;
  readonly active: boolean;
}

/** Keeps the background awake until `stop()`, or until `stillNeeded()` (asked every 20 s) says no. */
export function keepAlive(stillNeeded: () => boolean | Promise<boolean> = () => true): KeepAlive {
  let active = true;
  const beat = async () => {
    if (await stillNeeded()) void browser.runtime.getPlatformInfo();
    else stop();
  };
  const timer = setInterval(() => void beat(), KEEP_ALIVE_MS);
  const stop = () => {
    active = false;
    clearInterval(timer);
  };
  return {
    stop,
    get active() {
      return active;
    },
  };
}
