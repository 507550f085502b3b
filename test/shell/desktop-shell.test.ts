/**
 * The desktop shell, proven without its binary: the built `out/main/electron.js` runs under Node with `electron`
 * resolved to a recording stand-in that mirrors Electron 45's order of events (see `stand-in/electron.ts`), and
 * is driven as Electron and its user would: the page's calls, its requests to `app://`, permission requests, the
 * user closing the window during a send, a start that fails.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { tempDir } from '../support/temp.ts';
import { call, expectNoCrash, PROJECT_DIR, ShellApp, stopAllShells, type ShellRecord } from './harness.ts';

const CSP = "default-src 'none'";
const RENDERER_DIR = join(PROJECT_DIR, 'out', 'renderer');

/** What is shown once the window has been painted. */
const windowShown = (app: ShellApp) => app.waitFor('the window is shown', (r) => r.api === 'window.shown');

function messageBoxes(app: ShellApp): ShellRecord[] {
  return app.calls('dialog.showMessageBoxSync');
}

describe('the desktop shell against a recording stand-in of Electron', () => {
  let dir: string;
  let dataDir: string;

  beforeEach(() => {
    dir = tempDir();
    dataDir = join(dir, 'data');
  });

  afterEach(async () => {
    await stopAllShells();
  });

  it('makes every pre-ready call before ready, and no ready-only call before it', { timeout: 30_000 }, async () => {
    const app = new ShellApp({ dataDir });
    await windowShown(app);
    const before = (api: string) => {
      const found = app.calls(api);
      expect(found.length, `${api} was called\n${app.describe()}`).toBeGreaterThan(0);
      for (const record of found) expect(record.ready, `${api} before ready`).toBe(false);
    };
    before('protocol.registerSchemesAsPrivileged');
    before('app.setName');
    before('app.setPath');
    before('app.requestSingleInstanceLock');
    expect(app.calls('violation'), app.describe()).toEqual([]);
    expectNoCrash(app);
    // The `app:` scheme: standard and secure, and V8's code cache for its scripts.
    expect(app.calls('protocol.registerSchemesAsPrivileged')[0]?.args).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }],
    ]);
    // One window, with every security setting, showing the app's page.
    const [created] = app.calls('new BrowserWindow');
    expect(created?.args[0]).toMatchObject({
      show: false,
      webPreferences: {
        preload: join(PROJECT_DIR, 'out', 'preload', 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
      },
    });
    expect(app.calls('window.loadURL').map((r) => r.args[0])).toEqual(['app://renderer/index.html']);
    expect(app.calls('page-loaded')[0]?.args).toEqual(['app://renderer/index.html', 200, 'text/html; charset=utf-8']);
    // Linux and macOS have no AppUserModelID (the method exists only on Windows): not called, nothing thrown.
    expect(app.calls('app.setAppUserModelId')).toEqual([]);
  });

  it('shows a window saved as maximised only once it is painted', { timeout: 30_000 }, async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'window-state.json'),
      JSON.stringify({ x: 10, y: 10, width: 1300, height: 900, maximized: true }),
    );
    const app = new ShellApp({ dataDir });
    await windowShown(app);
    await app.waitFor('the window is maximised', (r) => r.api === 'window.maximize');
    const shown = app.calls('window.shown');
    expect(shown.length).toBeGreaterThan(0);
    for (const record of shown) expect(record.args[1], app.describe()).toMatchObject({ painted: true });
    expect(await app.command({ cmd: 'windows' })).toEqual([
      { id: 1, visible: true, maximized: true, url: 'app://renderer/index.html' },
    ]);
  });

  it('serves every renderer file with its type and the CSP, and nothing outside it', { timeout: 30_000 }, async () => {
    const app = new ShellApp({ dataDir });
    await windowShown(app);
    type Answer = { status: number; headers: Record<string, string>; length: number; text: string | null };
    const get = (url: string) => app.command<Answer>({ cmd: 'request', url });

    const index = await get('app://renderer/index.html');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain(CSP);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    // The page's own scripts and styles, as it names them.
    const named = [...(index.text ?? '').matchAll(/(?:src|href)="\.?(\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(named.some((path) => path.endsWith('.js'))).toBe(true);
    expect(named.some((path) => path.endsWith('.css'))).toBe(true);
    for (const path of named) expect((await get(`app://renderer${path}`)).status, path).toBe(200);

    const types: Record<string, string> = {
      '.html': 'text/html; charset=utf-8',
      '.js': 'text/javascript; charset=utf-8',
      '.css': 'text/css; charset=utf-8',
      '.svg': 'image/svg+xml',
      '.map': 'application/octet-stream',
    };
    for (const file of filesUnder(RENDERER_DIR)) {
      const path = relative(RENDERER_DIR, file).split('\\').join('/');
      const answer = await get(`app://renderer/${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.length, path).toBe(statSync(file).size);
      const extension = path.slice(path.lastIndexOf('.'));
      expect(answer.headers['content-type'], path).toBe(types[extension]);
      expect(answer.headers['content-security-policy'], path).toContain(CSP);
    }

    writeFileSync(join(dir, 'secret.txt'), 'not for the page');
    for (const url of [
      'app://renderer/../../package.json',
      'app://renderer/%2e%2e/%2e%2e/package.json',
      'app://renderer/assets/..%2F..%2F..%2Fpackage.json',
      'app://renderer/..%5C..%5Cpackage.json',
      `app://renderer/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      'app://renderer/%E0%A4%A',
      'app://renderer/assets',
      'app://renderer/missing.js',
      'app://other/index.html',
    ]) {
      const answer = await get(url);
      expect(answer.status, url).toBe(404);
      expect(answer.text ?? '', url).not.toContain('vitally-importer');
    }
  });

  it(
    "dispatches a call from the app's own page and refuses one from any other frame",
    { timeout: 30_000 },
    async () => {
      const app = new ShellApp({ dataDir });
      await windowShown(app);
      const info = await call<{ host: string; dataDir: string }>(app, 'getAppInfo');
      expect(info).toMatchObject({ host: 'electron', dataDir });

      const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };
      for (const frame of [
        { frameUrl: 'https://evil.example/index.html' },
        { frameUrl: 'file:///work/main/out/renderer/index.html' },
        { frameUrl: 'app://evil/index.html' },
        { frameUrl: 'app://renderer/index.html', subFrame: true },
        { frameUrl: 'app://renderer/index.html', otherContents: true },
        { frameUrl: null },
      ]) {
        expect(await app.invoke('vitally:call', ['getAppInfo', {}], frame), JSON.stringify(frame)).toMatchObject(
          forbidden,
        );
        expect(await app.invoke('vitally:clipboard', ['stolen?'], frame)).toMatchObject(forbidden);
      }
      expect(app.calls('clipboard.writeText')).toEqual([]);
      // A call the contract does not have, and arguments it does not take, are typed errors, not crashes.
      expect(await app.invoke('vitally:call', ['deleteEverything', {}])).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CALL' },
      });
      expect(await app.invoke('vitally:call', ['updateSettings', { theme: 'purple' }])).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
    },
  );

  it(
    'grants the page no permission, loads no remote content and keeps navigation in the app',
    { timeout: 30_000 },
    async () => {
      const app = new ShellApp({ dataDir });
      await windowShown(app);
      for (const permission of [
        'clipboard-read',
        'clipboard-sanitized-write',
        'notifications',
        'media',
        'geolocation',
      ]) {
        expect(
          await app.command({ cmd: 'permission', permission, url: 'app://renderer/index.html' }),
          permission,
        ).toEqual({ checked: false, requested: false });
      }
      const blocked = (url: string) => app.command<{ cancel: boolean }>({ cmd: 'beforeRequest', url });
      expect(await blocked('app://renderer/assets/index.css')).toEqual({ cancel: false });
      expect(await blocked('https://fonts.example/font.woff2')).toEqual({ cancel: true });
      expect(await blocked('http://127.0.0.1:8080/')).toEqual({ cancel: true });
      expect(await app.command({ cmd: 'navigate', url: 'https://evil.example/' })).toEqual({ prevented: true });
      expect(await app.command({ cmd: 'navigate', url: 'app://renderer/index.html' })).toEqual({ prevented: false });
      expect(await app.command({ cmd: 'windowOpen', url: 'https://docs.vitally.io/' })).toEqual({ action: 'deny' });
      expect(await app.command({ cmd: 'windowOpen', url: 'https://evil.example/' })).toEqual({ action: 'deny' });
      expect(app.calls('shell.openExternal').map((r) => r.args[0])).toEqual(['https://docs.vitally.io/']);
    },
  );

  it('opens History from the menu with Ctrl+H off macOS', { timeout: 30_000 }, async () => {
    const app = new ShellApp({ dataDir });
    await windowShown(app);
    expect(await app.command({ cmd: 'menu', label: 'History' })).toEqual({ accelerator: 'Ctrl+H' });
    expect(await app.waitForEvent('menuCommand')).toBe('show-history');
  });

  it(
    'checks itself with --self-check: its workers read, check and save a file, then it exits',
    { timeout: 60_000 },
    async () => {
      const app = new ShellApp({ dataDir, args: ['--self-check'] });
      expect(await app.exited, app.describe()).toEqual({ code: 0, signal: null });
      const result = JSON.parse(app.output.join('').trim().split('\n').at(-1) ?? '{}') as {
        ok: boolean;
        steps: unknown[];
      };
      expect(result).toMatchObject({
        ok: true,
        steps: [
          { step: 'read', ok: true },
          { step: 'check', ok: true },
          { step: 'export', ok: true },
        ],
      });
      // No window, no lock, and nothing left in the user's data folder.
      expect(app.calls('new BrowserWindow')).toEqual([]);
      expect(app.calls('app.requestSingleInstanceLock')).toEqual([]);
      expect(app.calls('app.setPath')[0]?.args[1]).toMatch(/vitally-importer-self-check-/);
    },
  );

  describe('a start that fails', () => {
    it('says so in a dialog when the database is from a newer version, then quits', { timeout: 30_000 }, async () => {
      mkdirSync(dataDir, { recursive: true });
      const db = new DatabaseSync(join(dataDir, 'vitally-importer.sqlite'));
      db.exec('PRAGMA user_version = 9999');
      db.close();
      const app = new ShellApp({ dataDir });
      expect(await app.exited).toEqual({ code: 0, signal: null });
      const [box] = app.calls('dialog.showErrorBox');
      expect(box?.args[0]).toBe('Vitally Importer');
      expect(String(box?.args[1])).toMatch(/newer version/i);
      expect(app.calls('new BrowserWindow')).toEqual([]);
      expect(app.calls('unhandledRejection'), app.describe()).toEqual([]);
      expect(app.records.map((r) => r.api)).toContain('emit:will-quit');
      // The data folder's lock was given back: the next start is not handed over to a ghost, it says the same.
      const next = new ShellApp({ dataDir });
      expect(await next.exited).toEqual({ code: 0, signal: null });
      expect(next.calls('dialog.showErrorBox').map((r) => r.args[1])).toEqual([box?.args[1]]);
    });

    it('says so in a dialog when the data folder cannot be made, then quits', { timeout: 30_000 }, async () => {
      writeFileSync(join(dir, 'a-file'), 'not a folder');
      const app = new ShellApp({ dataDir: join(dir, 'a-file', 'data') });
      expect(await app.exited).toEqual({ code: 0, signal: null });
      const boxes = app.calls('dialog.showErrorBox');
      expect(boxes, app.describe()).toHaveLength(1);
      expect(String(boxes[0]?.args[1])).toContain(`cannot use its data folder (${join(dir, 'a-file', 'data')})`);
      expectNoCrash(app);
    });

    it(
      'starts with session-only tokens when the keychain’s native binding is missing',
      { timeout: 30_000 },
      async () => {
        const app = new ShellApp({ dataDir, brokenModules: ['@napi-rs/keyring'] });
        await windowShown(app);
        expect(app.calls('dialog.showErrorBox')).toEqual([]);
        expect(await call(app, 'getKeychainStatus')).toMatchObject({ available: false, problem: 'missing' });
        const saved = await call<{ token: unknown }>(app, 'saveWorkspace', {
          name: 'Acme',
          address: 'https://acme.rest.vitally.io',
          token: 'secret-token-1234',
          sessionOnly: true,
        });
        expect(saved.token).toEqual({ saved: true, lastFour: '1234', storage: 'session' });
      },
    );
  });

  describe('during a send', () => {
    let emulator: Emulator;
    let app: ShellApp;

    beforeEach(async () => {
      // Vitally answers slowly, so the send is still going when the window is closed.
      emulator = await startEmulator({ token: 'shell-token-1234', latencyMs: 60_000 });
      app = new ShellApp({ dataDir });
      await windowShown(app);
      const csv = join(dir, 'users.csv');
      const lines = ['Account ID,User ID,Seats'];
      for (let i = 1; i <= 150; i++) lines.push(`A${i % 5},U${i},${i}`);
      writeFileSync(csv, lines.join('\n'));
      const load = await call<{ taskId: string; fileId: string }>(app, 'loadFile', {
        source: { kind: 'path', path: csv },
      });
      await app.waitForEvent<{ taskId: string }>('taskFinished', (end) => end.taskId === load.taskId);
      const { mapping } = await call<{ mapping: unknown }>(app, 'getMapping', { fileId: load.fileId });
      await call(app, 'saveMapping', { fileId: load.fileId, mapping });
      const preview = await call<{ taskId: string }>(app, 'startPreview', { fileId: load.fileId });
      await app.waitForEvent<{ taskId: string }>('taskFinished', (end) => end.taskId === preview.taskId);
      fileId = load.fileId;
    }, 60_000);
    let fileId: string;

    afterEach(async () => {
      await stopAllShells();
      await emulator.close();
    });

    async function startSending(): Promise<void> {
      const workspace = await call<{ id: string }>(app, 'saveWorkspace', {
        name: 'Emulator',
        address: emulator.baseUrl,
        token: emulator.config.token,
        sessionOnly: true,
      });
      await call(app, 'updateSettings', { workspaceId: workspace.id });
      const { runId } = await call<{ runId: string }>(app, 'startSend', { fileId });
      await app.waitForEvent<{ runId: string; state: string }>(
        'runProgress',
        (progress) => progress.runId === runId && progress.state === 'sending',
      );
    }

    it('puts the batch the user looks at on the clipboard (Copy JSON)', { timeout: 30_000 }, async () => {
      const batch = await call<{ body: string }>(app, 'getBatch', { fileId, batch: 0 });
      expect(JSON.parse(batch.body)).toHaveLength(100);
      expect(await app.invoke('vitally:clipboard', [batch.body])).toEqual({ ok: true, value: { copied: true } });
      expect(await app.command({ cmd: 'clipboard' })).toBe(batch.body);
      expect(await app.invoke('vitally:clipboard', [{ not: 'text' }])).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
    });

    it(
      'asks before the window is closed, keeps sending if told so, and quits when told so',
      { timeout: 60_000 },
      async () => {
        await startSending();
        await app.command({ cmd: 'answers', messageBox: [0] });
        expect(await app.command({ cmd: 'closeWindow' })).toBe(false);
        expect(messageBoxes(app)).toHaveLength(1);
        expect(messageBoxes(app)[0]?.args[0]).toMatchObject({
          parent: '[window 1]',
          options: { message: 'An import is still being sent.', buttons: ['Keep sending', 'Quit'] },
          answer: 0,
        });
        expect(await app.command({ cmd: 'windows' })).toHaveLength(1);

        await app.command({ cmd: 'answers', messageBox: [1] });
        expect(await app.command({ cmd: 'closeWindow' })).toBe(true);
        expect(await app.exited).toEqual({ code: 0, signal: null });
        // Asked once for that close: not again when the app then quits.
        expect(messageBoxes(app)).toHaveLength(2);
        const order = app.records
          .map((r) => r.api)
          .filter((api) => /^emit:(close|closed|window-all-closed|before-quit|will-quit|quit)$/.test(api));
        expect(order).toEqual([
          'emit:close',
          'emit:close',
          'emit:closed',
          'emit:window-all-closed',
          'emit:before-quit',
          'emit:will-quit',
          'emit:quit',
        ]);
      },
    );

    it('asks once when the app is quit from the menu during a send', { timeout: 60_000 }, async () => {
      await startSending();
      await app.command({ cmd: 'answers', messageBox: [1] });
      await app.command({ cmd: 'quit' });
      expect(await app.exited).toEqual({ code: 0, signal: null });
      expect(messageBoxes(app)).toHaveLength(1);
    });

    it(
      'shows the send in the taskbar, and says once when it ends while the window is in the background',
      { timeout: 60_000 },
      async () => {
        emulator.configure({ latencyMs: 0 });
        await app.command({ cmd: 'focus', focused: false });
        await startSending();
        const shown = await app.waitFor('a notification', (r) => r.api === 'Notification.show');
        expect(shown.args[0]).toMatchObject({ title: 'Import finished' });
        await app.waitForEvent<{ state: string }>('runProgress', (progress) => progress.state === 'finished');
        expect(app.calls('Notification.show')).toHaveLength(1);
        const bars = app.calls('window.setProgressBar').map((r) => r.args[0] as number);
        expect(bars.some((value) => value >= 0 && value <= 1)).toBe(true);
        expect(bars.at(-1)).toBe(-1);
      },
    );

    it(
      'sends through Electron’s network stack (net.fetch: the system proxy and certificates)',
      { timeout: 60_000 },
      async () => {
        await startSending();
        const sent = await app.waitFor('a request to Vitally', (r) => r.api === 'net.fetch');
        expect(sent.args[0]).toBe(`${emulator.baseUrl}/batch`);
        expect(sent.args[1]).toBe('POST');
      },
    );
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
