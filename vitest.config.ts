import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (engine, services, web host, stores — fast, parallel) and `e2e` (the built app: driven in
 * Chromium through the web host; the desktop shell under Node against a stand-in of Electron, its preload in a
 * sandbox and its packaging, in `test/shell`; and in Electron where its runtime is installed). `npm test` builds
 * first.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/shell/**/*.test.ts', 'test/electron/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
