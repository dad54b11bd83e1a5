import type { FirefoxTab } from './firefox';

/** The same clips as the Chromium tests, looked up the same way. */
export { fixture, fixturePath } from '../../e2e/helpers/popup';

/** Picks files with the popup's "Choose video" input, as a person would. */
export async function chooseVideos(popup: FirefoxTab, paths: string[]): Promise<void> {
  await popup.waitFor('the Choose video input', () => document.querySelector('input[type=file]') !== null, []);
  await popup.setFiles('input[type=file]', paths);
}

/** The row's text, under its section's heading (`jobs` or `completed`), or null while there is none. */
export function rowText(popup: FirefoxTab, section: 'jobs' | 'completed', name: string): Promise<string | null> {
  return popup.run(
    (section, name) => {
      const rows = document.querySelectorAll(`section[aria-labelledby="${section}-heading"] li[aria-label]`);
      const row = [...rows].find((item) => item.getAttribute('aria-label') === name) as HTMLElement | undefined;
      return row ? row.innerText : null;
    },
    section,
    name,
  );
}

/** The text of the row's role="alert" element, once it has some. */
export function waitForAlert(popup: FirefoxTab, section: 'jobs' | 'completed', name: string, timeoutMs = 60_000) {
  return popup.waitFor(
    `an alert on ${name}`,
    (section, name) => {
      const rows = document.querySelectorAll(`section[aria-labelledby="${section}-heading"] li[aria-label]`);
      const row = [...rows].find((item) => item.getAttribute('aria-label') === name);
      return (row?.querySelector('[role=alert]') as HTMLElement | null)?.innerText || null;
    },
    [section, name],
    timeoutMs,
  );
}

/** Clicks the row's button with this accessible text; false if the row or the button isn't there. */
export function clickRowButton(popup: FirefoxTab, section: 'jobs' | 'completed', name: string, button: string) {
  return popup.run(
    (section, name, button) => {
      const rows = document.querySelectorAll(`section[aria-labelledby="${section}-heading"] li[aria-label]`);
      const row = [...rows].find((item) => item.getAttribute('aria-label') === name);
      const found = [...(row?.querySelectorAll('button') ?? [])].find((item) => item.textContent?.trim() === button);
      found?.click();
      return found !== undefined;
    },
    section,
    name,
    button,
  );
}
