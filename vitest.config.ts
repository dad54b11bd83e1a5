import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * How long a browser test's expect.poll waits for a state by default. Vitest's 1 s is shorter than a
 * two-file conversion takes on two busy cores: the store screenshots' poll failed so in a full run.
 * A poll waits on what the page or storage shows, so a longer wait only slows a test that fails.
 */
const POLL_TIMEOUT_MS = 30_000;

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          setupFiles: ['tests/unit/i18n-setup.ts'],
          environment: 'node',
          // Some tests encode and decode seconds of sound (1–3 s alone); on two busy cores they took
          // 5–10 s and hit vitest's 5 s default. They wait on nothing but the CPU.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'firefox',
          include: ['tests/firefox/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/firefox/global-setup.ts'],
          // Node 20's WebSocket, which the WebDriver BiDi client uses, is behind a flag.
          execArgv: ['--experimental-websocket'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: POLL_TIMEOUT_MS } },
          fileParallelism: false,
          // After the unit and Chromium tests, so two browsers never compete for the cores.
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'zip',
          include: ['tests/zip/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: POLL_TIMEOUT_MS } },
          fileParallelism: false,
        },
      },
    ],
  },
});
