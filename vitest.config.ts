import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (engine, services, web host, stores — fast, parallel) and `e2e` (the built app: driven in
 * Chromium through the web host; the desktop shell under Node against a stand-in of Electron, its preload in a
 * sandbox and its packaging, in `test/shell`; and in Electron where its runtime is installed). `npm test` builds
 * first.
 *
 * Both hold on a busy machine (two cores, each taken by something else): no test lives on Vitest's default 5 s.
 * A unit test gets 30 s unless it states its own budget (the heavy ones do: sends, the kill test, the readers'
 * child processes); `test/support/reap-children.ts` kills whatever child process a test file leaves running, so a
 * failed or timed-out test never leaves an orphan for Vitest's teardown to wait on. `expect.poll` waits up to 20 s
 * (Vitest's default is 1 s: a window that answers in 2 s on a busy machine is slow, not wrong).
 */
export default defineConfig({
  test: {
    teardownTimeout: 10_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/reap-children.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          expect: { poll: { timeout: 20_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/shell/**/*.test.ts', 'test/electron/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/reap-children.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll: { timeout: 20_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
