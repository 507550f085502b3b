import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronRuntime = { available: true; executable: string } | { available: false; reason: string };

/**
 * Finds the Electron binary the way the `electron` package would, without ever running or requiring that package:
 * from Electron 45 on, both fetch the binary from GitHub on first use, which fails on an offline machine.
 * `ELECTRON_OVERRIDE_DIST_PATH` wins; otherwise the binary must already be in `node_modules/electron/dist`.
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
  const executable = override ? join(override, relative) : join(packageDir, 'dist', relative);
  if (existsSync(executable)) return { available: true, executable };
  if (override)
    return { available: false, reason: `ELECTRON_OVERRIDE_DIST_PATH points to no Electron (${executable})` };
  if (!existsSync(packageDir)) return { available: false, reason: 'the electron package is not installed' };
  return { available: false, reason: 'its binary was never downloaded into node_modules/electron/dist' };
}

function defaultExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}
