/**
 * The same checks as the browser suite, in the real Electron window, plus the window's security settings.
 * Runs wherever the Electron runtime is installed (and, on Linux, a display is available, e.g. under xvfb-run);
 * elsewhere it prints one line saying why it was skipped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('loads the page’s scripts as module scripts from app://renderer, and nothing from elsewhere', async () => {
    const loaded = await page.evaluate(() => ({
      modules: [...document.querySelectorAll('script[type="module"]')].map(
        (script) => (script as HTMLScriptElement).src,
      ),
      resources: performance.getEntriesByType('resource').map((entry) => entry.name),
    }));
    expect(loaded.modules.length).toBeGreaterThan(0);
    for (const url of [...loaded.modules, ...loaded.resources]) expect(url).toMatch(/^app:\/\/renderer\//);
  });

  it('reads a file in its worker threads, checks it, and copies a batch to the clipboard through main', async () => {
    const csv = join(dataDir, 'users.csv');
    const lines = ['Account ID,User ID,Seats'];
    for (let i = 1; i <= 120; i++) lines.push(`A${i % 5},U${i},${i}`);
    writeFileSync(csv, lines.join('\n'));
    const body = await page.evaluate(async (path) => {
      type Answer = { ok: boolean; value?: unknown; error?: { message: string } };
      const bridge = (window as unknown as { vitally: Record<string, (...args: unknown[]) => Promise<Answer>> })
        .vitally;
      const subscribe = (
        window as unknown as { vitally: { subscribe: (n: string, l: (p: unknown) => void) => () => void } }
      ).vitally.subscribe;
      const value = async <T>(answer: Promise<Answer>): Promise<T> => {
        const settled = await answer;
        if (!settled.ok) throw new Error(settled.error?.message);
        return settled.value as T;
      };
      const finished = (taskId: string) =>
        new Promise<{ outcome: string }>((resolve) => {
          const stop = subscribe('taskFinished', (end) => {
            if ((end as { taskId: string }).taskId !== taskId) return;
            stop();
            resolve(end as { outcome: string });
          });
        });
      const load = await value<{ taskId: string; fileId: string }>(
        bridge.loadFile!({ source: { kind: 'path', path } }),
      );
      if ((await finished(load.taskId)).outcome !== 'done') throw new Error('the read did not finish');
      const { mapping } = await value<{ mapping: unknown }>(bridge.getMapping!({ fileId: load.fileId }));
      await value(bridge.saveMapping!({ fileId: load.fileId, mapping }));
      const check = await value<{ taskId: string }>(bridge.startPreview!({ fileId: load.fileId }));
      if ((await finished(check.taskId)).outcome !== 'done') throw new Error('the check did not finish');
      const batch = await value<{ body: string }>(bridge.getBatch!({ fileId: load.fileId, batch: 0 }));
      await value(bridge.copyText!(batch.body));
      return batch.body;
    }, csv);
    expect(JSON.parse(body)).toHaveLength(100);
    expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe(body);
  });

  it('can show notifications (a send that ends while the window is in the background says so)', async () => {
    expect(await app.evaluate(({ Notification }) => Notification.isSupported())).toBe(true);
  });

  it('refuses to navigate away from the app', async () => {
    await page.evaluate(() => (window.location.href = 'https://example.com/'));
    await page.locator('[data-app-state="loaded"]').waitFor();
    expect(page.url()).toBe('app://renderer/index.html');
  });
});

// The packaged app (`npm run package`, or `electron-builder --dir`): its fuses keep Playwright out, so it checks
// itself — ES module workers loaded from inside app.asar — and says so in its exit code.
const packagedApp =
  process.env.VITALLY_PACKAGED_APP ??
  (process.platform === 'linux' ? join(PROJECT_DIR, 'dist', 'linux-unpacked', 'vitally-importer') : '');
const packagedSkip =
  !packagedApp || !existsSync(packagedApp)
    ? 'no packaged app (run "npm run package", or set VITALLY_PACKAGED_APP to its executable)'
    : noDisplay
      ? 'there is no display (run under xvfb-run)'
      : null;
if (packagedSkip) console.log(`Packaged-app self-check skipped: ${packagedSkip}.`);

describe.skipIf(packagedSkip !== null)('the packaged app', () => {
  it('reads, checks and saves a file with its workers inside app.asar (--self-check)', async () => {
    const child = spawn(packagedApp, ['--self-check'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code, output).toBe(0);
      expect(output).toContain('"ok":true');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
