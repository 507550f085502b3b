import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronRuntime } from '../../main/electron-runtime.ts';
import { createMemoryLogger, redact } from '../../main/log.ts';
import { resolveAppPaths } from '../../main/paths.ts';
import { browserCommand } from '../../main/web/open-browser.ts';
import { tempDir } from '../support/temp.ts';

/** A project folder that depends on Electron `version`, with an empty node_modules/electron/dist for its binary. */
function projectWithElectron(version: string): { project: string; dist: string } {
  const project = tempDir();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ devDependencies: { electron: version } }));
  const dist = join(project, 'node_modules', 'electron', 'dist');
  mkdirSync(dist, { recursive: true });
  return { project, dist };
}

describe('finding the Electron runtime without downloading it', () => {
  it('says why when the binary was never downloaded', () => {
    const project = tempDir();
    mkdirSync(join(project, 'node_modules', 'electron'), { recursive: true });
    expect(findElectronRuntime(project, {}, 'linux')).toEqual({
      available: false,
      reason: 'its binary was never downloaded into node_modules/electron/dist',
    });
  });

  it('finds a downloaded binary where the electron package records it', () => {
    const { project, dist } = projectWithElectron('45.4.1');
    writeFileSync(join(project, 'node_modules', 'electron', 'path.txt'), 'electron');
    writeFileSync(join(dist, 'electron'), '');
    writeFileSync(join(dist, 'version'), 'v45.4.1');
    expect(findElectronRuntime(project, {}, 'linux')).toEqual({
      available: true,
      executable: join(dist, 'electron'),
      version: '45.4.1',
    });
  });

  it('refuses a runtime of another major version, or one that does not say its version', () => {
    const { project, dist } = projectWithElectron('45.4.1');
    writeFileSync(join(dist, 'electron'), '');
    expect(findElectronRuntime(project, {}, 'linux')).toEqual({
      available: false,
      reason: `the Electron in ${dist} does not say which version it is (it has no version file)`,
    });
    writeFileSync(join(dist, 'version'), '38.2.0');
    expect(findElectronRuntime(project, {}, 'linux')).toEqual({
      available: false,
      reason: `the Electron in ${dist} is version 38.2.0, but this app is built for Electron 45.4.1`,
    });
    writeFileSync(join(dist, 'version'), '45.0.2');
    expect(findElectronRuntime(project, {}, 'linux')).toMatchObject({ available: true, version: '45.0.2' });
  });

  it('prefers ELECTRON_OVERRIDE_DIST_PATH, and says so when it points nowhere', () => {
    const project = tempDir();
    const override = join(project, 'unpacked');
    mkdirSync(override);
    expect(findElectronRuntime(project, { ELECTRON_OVERRIDE_DIST_PATH: override }, 'linux')).toMatchObject({
      available: false,
      reason: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH') as unknown,
    });
    writeFileSync(join(override, 'electron.exe'), '');
    writeFileSync(join(override, 'version'), '45.4.1');
    expect(findElectronRuntime(project, { ELECTRON_OVERRIDE_DIST_PATH: override }, 'win32')).toEqual({
      available: true,
      executable: join(override, 'electron.exe'),
      version: '45.4.1',
    });
  });
});

describe('where data and logs live', () => {
  it('uses the same folder Electron would, per platform', () => {
    expect(resolveAppPaths({}, 'linux', '/home/ana').dataDir).toBe('/home/ana/.config/Vitally Importer');
    expect(resolveAppPaths({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ana').dataDir).toBe('/cfg/Vitally Importer');
    expect(resolveAppPaths({}, 'darwin', '/Users/ana').dataDir).toBe(
      '/Users/ana/Library/Application Support/Vitally Importer',
    );
    const linux = resolveAppPaths({ VITALLY_IMPORTER_DATA_DIR: '/data' }, 'linux', '/home/ana');
    expect(linux).toEqual({
      dataDir: '/data',
      logDir: '/data/logs',
      databaseFile: '/data/vitally-importer.sqlite',
    });
  });
});

describe('the log', () => {
  it('never records a secret, however deep it is', () => {
    const log = createMemoryLogger();
    log.info('connecting', {
      workspace: 'acme',
      token: 'sk_live_123',
      request: { headers: { Authorization: 'Basic x' } },
    });
    expect(JSON.stringify(log.lines)).not.toMatch(/sk_live_123|Basic x/);
    expect(redact({ nested: [{ secret: 's' }] })).toEqual({ nested: [{ secret: '[redacted]' }] });
  });
});

describe('opening the browser', () => {
  it('opens one only where there is a desktop, and never in CI', () => {
    expect(browserCommand('http://127.0.0.1:1/', 'linux', { DISPLAY: ':0' })).toEqual([
      'xdg-open',
      'http://127.0.0.1:1/',
    ]);
    expect(browserCommand('http://127.0.0.1:1/', 'linux', {})).toBeNull();
    expect(browserCommand('http://127.0.0.1:1/', 'darwin', { CI: '1' })).toBeNull();
  });
});
