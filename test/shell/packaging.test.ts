/**
 * The packaging check, offline: `electron-builder --dir` packs the built app with the project's own
 * `electron-builder.yml` over a stand-in Electron folder (electron-builder only needs its layout: the binary,
 * whose fuse wire it flips, and the `version` file), then the result is checked as an installer would ship it —
 * the archive's contents, the native keychain binding unpacked beside it, the fuses, every worker file the main
 * bundle starts — and the packaged main process is run from the extracted archive against the stand-in of
 * Electron. Installers (.deb, .dmg, NSIS) need the real runtime and tools: `npm run package` on a connected machine.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, posix } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREADS } from '../../app/threads/threads.ts';
import { call, PROJECT_DIR, ShellApp, stopAllShells } from './harness.ts';

/** Electron's fuse wire: a sentinel, the wire's version (1), its length, then one byte per fuse ('0', '1'). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
/** Electron's own defaults, as its binary ships. */
const ELECTRON_DEFAULT_WIRE = '10110001';

const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies.electron;

/** A folder laid out as an unpacked Electron for Linux, whose "binary" carries Electron's default fuse wire. */
function standInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from(`#!/bin/sh\n# ${SENTINEL}`),
    Buffer.from([1, FUSES.length]),
    Buffer.from(`${ELECTRON_DEFAULT_WIRE}\nexit 0\n`),
  ]);
  writeFileSync(join(dir, 'electron'), binary);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), `v${ELECTRON_VERSION}`);
  writeFileSync(join(dir, 'chrome-sandbox'), '');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), 'stand-in');
  writeFileSync(join(dir, 'locales', 'en-US.pak'), '');
  return dir;
}

function fuseWire(binary: Buffer): Record<(typeof FUSES)[number], boolean> {
  const at = binary.indexOf(SENTINEL) + SENTINEL.length;
  const length = binary[at + 1] ?? 0;
  const wire = binary.subarray(at + 2, at + 2 + length).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i] === '1'])) as Record<(typeof FUSES)[number], boolean>;
}

/** Runs electron-builder as `npm run package` would, but only to a folder, over the stand-in Electron. */
async function pack(electronDist: string, output: string): Promise<string> {
  const cli = join(PROJECT_DIR, 'node_modules', 'electron-builder', 'cli.js');
  const child = spawn(
    process.execPath,
    [
      cli,
      '--dir',
      '--linux',
      '--x64',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${electronDist}`,
      // Rebuilding native modules downloads Electron's headers; the keychain binding is N-API and needs none.
      '-c.npmRebuild=false',
      `-c.directories.output=${output}`,
    ],
    { cwd: PROJECT_DIR, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`electron-builder failed (${code}):\n${log}`);
    return log;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('the packaged app (electron-builder --dir over a stand-in Electron)', () => {
  let work: string;
  let appOut: string;
  let asar: string;
  let entries: Set<string>;
  let extracted: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vitally-importer-package-'));
    const dist = standInElectron(join(work, 'electron-dist'));
    await pack(dist, join(work, 'dist'));
    appOut = join(work, 'dist', 'linux-unpacked');
    asar = join(appOut, 'resources', 'app.asar');
    entries = new Set(listPackage(asar, { isPack: false }).map((entry) => entry.split('\\').join('/')));
    extracted = join(work, 'app');
    extractAll(asar, extracted);
  }, 180_000);

  afterAll(async () => {
    await stopAllShells();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('names the executable for the product and flips the fuses electron-builder.yml sets', () => {
    const binary = readFileSync(join(appOut, 'vitally-importer'));
    expect(fuseWire(binary)).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // Not set by the app: Electron's default stays.
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(readFileSync(join(appOut, 'version'), 'utf8')).toBe(`v${ELECTRON_VERSION}`);
    expect(existsSync(join(appOut, 'electron'))).toBe(false);
  });

  it('ships the .deb first on Linux: the AppImage cannot start on Ubuntu 24.04 without an AppArmor profile', () => {
    const config = readFileSync(join(PROJECT_DIR, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^linux:\n(?: {2}.*\n)*? {2}target: \[deb, AppImage\]$/m);
    // electron-builder's .deb install script installs the profile the AppImage lacks.
    const afterInstall = readFileSync(
      join(PROJECT_DIR, 'node_modules', 'app-builder-lib', 'templates', 'linux', 'after-install.tpl'),
      'utf8',
    );
    expect(afterInstall).toContain('apparmor_parser');
    expect(afterInstall).toContain('chrome-sandbox');
  });

  it('archives the built app and its production dependencies, and nothing else', () => {
    for (const path of [
      '/package.json',
      '/out/main/electron.js',
      '/out/preload/preload.cjs',
      '/out/renderer/index.html',
      '/node_modules/zod/package.json',
      '/node_modules/papaparse/package.json',
      '/node_modules/yauzl/package.json',
      '/node_modules/cfb/package.json',
      '/node_modules/@napi-rs/keyring/package.json',
    ]) {
      expect(entries.has(path), path).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8')) as { main: string };
    expect(entries.has(posix.join('/', manifest.main))).toBe(true);
    const unwanted = [...entries].filter(
      (path) =>
        path.endsWith('.map') ||
        /^\/(test|renderer|app|main|docs)\//.test(path) ||
        // Of the assets, only the sample spreadsheet ships (Try it without Vitally); the icons are build resources.
        /^\/assets\/(?!sample(\/|$))/.test(path) ||
        /^\/node_modules\/(electron|electron-builder|vitest|vite|react|react-dom|typescript|playwright-core)\//.test(
          path,
        ),
    );
    expect(unwanted).toEqual([]);
  });

  it('keeps the keychain’s native binding outside the archive, where it can be loaded', () => {
    const unpacked = join(appOut, 'resources', 'app.asar.unpacked', 'node_modules', '@napi-rs');
    const bindings = readdirSync(unpacked, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.node'));
    expect(bindings.length).toBeGreaterThan(0);
    // From the extracted layout, the library finds its binding as the packaged app would.
    const requireThere = createRequire(join(extracted, 'out', 'main', 'electron.js'));
    const keyring = requireThere('@napi-rs/keyring') as { Entry: unknown };
    expect(typeof keyring.Entry).toBe('function');
  });

  it('ships every worker and file the main bundle starts or serves', () => {
    const mainDir = join(extracted, 'out', 'main');
    const referenced = new Set<string>();
    for (const file of readdirSync(mainDir).filter((name) => name.endsWith('.js'))) {
      if (file === 'launcher.js') continue; // `npm start` only: not part of the desktop app.
      const source = readFileSync(join(mainDir, file), 'utf8');
      for (const match of source.matchAll(/new URL\(["']([^"']+)["'],\s*import\.meta\.url\)/g)) {
        const target = match[1] ?? '';
        // A source path beside each built one: used only when running from the TypeScript sources.
        if (target.endsWith('.ts')) continue;
        referenced.add(posix.join('/out/main', target));
      }
      // The worker threads are started by name, as `./<name>.js` beside the code that starts them.
      if (/new URL\(`\.\/\$\{name\}\.js`, from\)/.test(source)) {
        for (const name of Object.keys(THREADS)) referenced.add(`/out/main/${name}.js`);
      }
    }
    expect([...referenced].sort()).toEqual(
      expect.arrayContaining([
        '/out/main/read-worker.js',
        '/out/main/write-worker.js',
        '/out/main/preview-worker.js',
        '/out/main/check-worker.js',
        '/out/main/export-worker.js',
        '/out/main/send-worker.js',
        '/out/preload/preload.cjs',
        '/out/renderer',
      ]),
    );
    for (const path of referenced) expect(entries.has(path), path).toBe(true);
  });

  it('starts from the extracted archive against the stand-in of Electron', { timeout: 60_000 }, async () => {
    const app = new ShellApp({
      dataDir: join(work, 'data'),
      main: join(extracted, 'out', 'main', 'electron.js'),
      env: { STANDIN_PACKAGED: '1' },
    });
    await app.waitFor('the window is shown', (record) => record.api === 'window.shown');
    expect(app.calls('page-loaded')[0]?.args).toEqual(['app://renderer/index.html', 200, 'text/html; charset=utf-8']);
    expect(await call(app, 'getAppInfo')).toMatchObject({ host: 'electron', version: expect.any(String) as unknown });
    // Packaged: no developer tools, and no reload in the View menu.
    const [created] = app.calls('new BrowserWindow');
    expect(created?.args[0]).toMatchObject({
      webPreferences: { devTools: false, preload: join(extracted, 'out', 'preload', 'preload.cjs') },
    });
    expect(app.calls('violation')).toEqual([]);
    expect(app.calls('unhandledRejection')).toEqual([]);
  });

  it(
    'passes its own --self-check from the extracted archive (its workers start there)',
    { timeout: 60_000 },
    async () => {
      const app = new ShellApp({
        dataDir: join(work, 'data-self-check'),
        main: join(extracted, 'out', 'main', 'electron.js'),
        env: { STANDIN_PACKAGED: '1' },
        args: ['--self-check'],
      });
      expect(await app.exited, app.describe()).toEqual({ code: 0, signal: null });
      expect(app.output.join('')).toContain('"ok":true');
    },
  );
});
