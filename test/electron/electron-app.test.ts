/**
 * The same checks as the browser suite, in the real Electron window, plus the window's security settings.
 * Runs wherever the Electron runtime is installed (and, on Linux, a display is available, e.g. under xvfb-run);
 * elsewhere it prints one line saying why it was skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_KEYS } from '../../app/contract-names.ts';
import { findElectronRuntime } from '../../main/electron-runtime.ts';
import {
  checkAbout,
  checkEveryStep,
  checkHistory,
  checkKeyboard,
  checkOpensOnConnect,
  checkThemeIsRemembered,
} from '../e2e/frame-checks.ts';
import { PROJECT_DIR } from '../e2e/harness.ts';

const runtime = findElectronRuntime(PROJECT_DIR);
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !runtime.available
  ? `the Electron runtime is not installed (${runtime.reason})`
  : noDisplay
    ? 'there is no display (run under xvfb-run)'
    : null;
if (skipReason) console.log(`Electron end-to-end suite skipped: ${skipReason}.`);

describe.skipIf(skipReason !== null)('the wizard frame in the Electron window', () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    if (!runtime.available) return;
    dataDir = mkdtempSync(join(tmpdir(), 'vitally-importer-electron-'));
    app = await electron.launch({
      executablePath: runtime.executable,
      args: [PROJECT_DIR],
      env: { ...process.env, VITALLY_IMPORTER_DATA_DIR: dataDir },
    });
    page = await app.firstWindow();
    await page.locator('[data-app-state="loaded"]').waitFor();
  });

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens one window, on the app’s own origin, with no Node in the page', async () => {
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(page.url()).toBe('app://renderer/index.html');
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return [typeof scope.require, typeof scope.process, typeof scope.module, typeof scope.ipcRenderer];
    });
    expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('exposes exactly the contract on window.vitally', async () => {
    const keys = await page.evaluate(() => Object.keys((window as unknown as { vitally: object }).vitally));
    expect(keys.sort()).toEqual([...BRIDGE_KEYS].sort());
  });

  it('answers a malformed call with a typed validation error', async () => {
    const answer = await page.evaluate(() =>
      (window as unknown as { vitally: { updateSettings(a: unknown): Promise<unknown> } }).vitally.updateSettings({
        theme: 'purple',
      }),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'theme' }] } });
  });

  it('shows the frame as in the browser', async () => {
    await checkOpensOnConnect(page, 'electron-01-connect');
    await checkEveryStep(page, 'electron-step');
    await checkHistory(page, 'electron-history');
    await checkAbout(page, dataDir, 'electron-about');
    await checkThemeIsRemembered(page, 'electron-dark');
    await checkKeyboard(page);
  });

  it('refuses to navigate away from the app', async () => {
    await page.evaluate(() => (window.location.href = 'https://example.com/'));
    await page.locator('[data-app-state="loaded"]').waitFor();
    expect(page.url()).toBe('app://renderer/index.html');
  });
});
