import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronRuntime =
  { available: true; executable: string; version: string } | { available: false; reason: string };

/**
 * Finds the Electron binary the way the `electron` package would, without ever running or requiring that package:
 * from Electron 45 on, both fetch the binary from GitHub on first use, which fails on an offline machine.
 * `ELECTRON_OVERRIDE_DIST_PATH` wins; otherwise the binary must already be in `node_modules/electron/dist`.
 * The runtime must be of the major version the app is built for (the project's `electron` dependency): its
 * `version` file, which Electron ships beside the binary, says which it is.
 */
export function findElectronRuntime(
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ElectronRuntime {
  const packageDir = join(projectDir, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const relative = recorded || defaultExecutable(platform);
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const distDir = override || join(packageDir, 'dist');
  const executable = join(distDir, relative);
  if (!existsSync(executable)) {
    if (override)
      return { available: false, reason: `ELECTRON_OVERRIDE_DIST_PATH points to no Electron (${executable})` };
    if (!existsSync(packageDir)) return { available: false, reason: 'the electron package is not installed' };
    return { available: false, reason: 'its binary was never downloaded into node_modules/electron/dist' };
  }
  const problem = versionProblem(readVersion(distDir), expectedVersion(projectDir), distDir);
  return problem
    ? { available: false, reason: problem }
    : { available: true, executable, version: readVersion(distDir) ?? '' };
}

/** The Electron version the app is built for: the project's pinned `electron` dependency. */
export function expectedVersion(projectDir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
      dependencies?: Record<string, string>;
    };
    const wanted = manifest.devDependencies?.electron ?? manifest.dependencies?.electron;
    return wanted ? wanted.replace(/^[\^~=v]+/, '') : null;
  } catch {
    return null;
  }
}

/** The version an unpacked Electron says it is (`dist/version`, "45.4.1" or "v45.4.1"), or null. */
function readVersion(distDir: string): string | null {
  const file = join(distDir, 'version');
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8').trim().replace(/^v/, '') || null;
}

/** Why a runtime of version `found` cannot run an app built for `wanted`, or null when it can. */
export function versionProblem(found: string | null, wanted: string | null, where: string): string | null {
  if (wanted === null) return null;
  if (found === null) return `the Electron in ${where} does not say which version it is (it has no version file)`;
  const major = (version: string) => version.split('.')[0];
  if (major(found) !== major(wanted)) {
    return `the Electron in ${where} is version ${found}, but this app is built for Electron ${wanted}`;
  }
  return null;
}

function defaultExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}
