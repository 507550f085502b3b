import { spawn } from 'node:child_process';
import type { Logger } from '../log.ts';

/**
 * Opens a URL in the default browser when the machine has a desktop to show it on. Failing to open one is not an
 * error: the URL has been printed.
 */
export function openInBrowser(url: string, log: Logger, env: NodeJS.ProcessEnv = process.env): void {
  const command = browserCommand(url, process.platform, env);
  if (!command) return;
  try {
    const child = spawn(command[0], command.slice(1), { detached: true, stdio: 'ignore' });
    child.on('error', (error) => log.info('no default browser could be opened', { error: error.message }));
    child.unref();
  } catch (error) {
    log.info('no default browser could be opened', { error });
  }
}

export function browserCommand(
  url: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): [string, ...string[]] | null {
  if (env.CI) return null;
  if (platform === 'darwin') return ['open', url];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""', url];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return ['xdg-open', url];
}
