import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the end-to-end suites find a Chromium-based browser: `CHROME_PATH` (or `CHROMIUM_PATH`) when set, else the
 * usual places on Linux, macOS and Windows. Run as a script (`node test/support/chromium.ts`), it prints the path
 * found, or nothing and exits 1.
 */
export function chromiumCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const chosen = [env.CHROME_PATH, env.CHROMIUM_PATH].filter((path): path is string => Boolean(path));
  if (chosen.length > 0) return chosen;
  switch (platform) {
    case 'darwin':
      return [
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      ];
    case 'win32': {
      const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((root): root is string =>
        Boolean(root),
      );
      return roots.flatMap((root) => [
        join(root, 'Chromium', 'Application', 'chrome.exe'),
        join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      ]);
    }
    default:
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/snap/bin/chromium',
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
      ];
  }
}

export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): string | null {
  return chromiumCandidates(env, platform).find((path) => exists(path)) ?? null;
}

if (import.meta.filename === process.argv[1]) {
  const found = findChromium();
  if (found) console.log(found);
  process.exitCode = found ? 0 : 1;
}
