import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeFixtures, type Fixture } from '../../scripts/make-fixtures';
import { BUILT_EXTENSION, isExtensionBuilt, REPO_ROOT } from './helpers/browser.ts';

export const FIXTURES_DIR = join(REPO_ROOT, 'tests', 'e2e', '.fixtures');

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: Fixture[];
    fixturesDir: string;
  }
}

/** Set E2E_ALLOW_MISSING_BUILD=1 to run helper-only e2e files (e.g. harness.test.ts) without building. */
function checkBuild(): void {
  if (isExtensionBuilt()) return;
  const message = `No built extension at ${join(BUILT_EXTENSION, 'manifest.json')}. Run \`npm run build\` first (\`npm test\` builds before running vitest).`;
  if (process.env.E2E_ALLOW_MISSING_BUILD !== '1') throw new Error(message);
  console.warn(`[e2e] ${message} Continuing because E2E_ALLOW_MISSING_BUILD=1; browser tests will skip.`);
}

export default async function setup(project: TestProject): Promise<void> {
  checkBuild();
  const started = performance.now();
  const fixtures = await makeFixtures(FIXTURES_DIR);
  console.log(
    `[e2e] ${fixtures.length} fixtures ready in ${FIXTURES_DIR} (${Math.round(performance.now() - started)} ms)`,
  );
  project.provide('fixtures', fixtures);
  project.provide('fixturesDir', FIXTURES_DIR);
}
