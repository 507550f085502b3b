import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Vitally Importer';

/** Environment variable that points both hosts at another data folder (tests, portable installs). */
export const DATA_DIR_ENV = 'VITALLY_IMPORTER_DATA_DIR';

export interface AppPaths {
  /** The user-data folder: database, settings, window state. */
  dataDir: string;
  /** Log files. */
  logDir: string;
  /** The SQLite database file. */
  databaseFile: string;
}

/**
 * The folders the app uses, the same for the Electron shell and the web host so both see the same data: Electron's
 * own `userData` location for an app named "Vitally Importer", unless `VITALLY_IMPORTER_DATA_DIR` says otherwise.
 */
export function resolveAppPaths(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): AppPaths {
  const dataDir = env[DATA_DIR_ENV] || defaultDataDir(env, platform, home);
  return pathsIn(dataDir);
}

export function pathsIn(dataDir: string): AppPaths {
  return { dataDir, logDir: join(dataDir, 'logs'), databaseFile: join(dataDir, 'vitally-importer.sqlite') };
}

function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
  }
}
