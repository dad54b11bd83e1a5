import { join } from 'node:path';
import { expect, inject } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Fixture } from '../../../scripts/make-fixtures';

export function fixture(name: string): Fixture {
  const found = inject('fixtures').find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no fixture named ${name}`);
  return found;
}

export function fixturePath(name: string): string {
  return join(inject('fixturesDir'), name);
}

/** Picks files with the popup's "Choose video" input, as a person would. */
export async function chooseVideos(popup: Page, names: string[]): Promise<void> {
  await popup.getByLabel('Choose video').setInputFiles(names.map(fixturePath));
}

export function jobRow(popup: Page, fileName: string): Locator {
  return popup.getByRole('region', { name: 'Jobs' }).getByRole('listitem', { name: fileName, exact: true });
}

export function completedRow(popup: Page, mp3Name: string): Locator {
  return popup
    .getByRole('region', { name: 'Completed downloads' })
    .getByRole('listitem', { name: mp3Name, exact: true });
}

/** Waits until the job's progress bar reports some progress, i.e. it is converting. */
export async function waitUntilConverting(popup: Page, fileName: string): Promise<void> {
  await expect
    .poll(
      async () =>
        Number(
          (await jobRow(popup, fileName)
            .getByRole('progressbar')
            .getAttribute('aria-valuenow')
            .catch(() => null)) ?? 0,
        ),
      {
        timeout: 60_000,
        interval: 100,
      },
    )
    .toBeGreaterThan(0);
}
