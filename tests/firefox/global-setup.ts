import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeFixtures } from '../../scripts/make-fixtures';
import { FIXTURES_DIR } from '../e2e/global-setup';
import { FIREFOX_EXTENSION } from './helpers/firefox';

/** The same clips as the Chromium tests, in the same folder (made once for both). */
export default async function setup(project: TestProject): Promise<void> {
  if (!existsSync(join(FIREFOX_EXTENSION, 'manifest.json'))) {
    throw new Error('No Firefox build in .output/firefox-mv3. Run `npm run build:firefox` first (`npm test` does).');
  }
  project.provide('fixtures', await makeFixtures(FIXTURES_DIR));
  project.provide('fixturesDir', FIXTURES_DIR);
}
