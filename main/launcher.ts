/**
 * `npm start`: runs the desktop app in Electron, or, where the Electron runtime is not installed, explains that
 * and serves the same app on the loopback web host instead.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findElectronRuntime } from './electron-runtime.ts';
import { runWebHost } from './web/cli.ts';

const projectDir = fileURLToPath(new URL('../..', import.meta.url));
const runtime = findElectronRuntime(projectDir);

if (runtime.available) {
  // Electron starts the project as an app: its package.json names the entry (out/main/electron.js) and version.
  const child = spawn(runtime.executable, [projectDir, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
} else {
  console.log(
    `The desktop window cannot open here: ${runtime.reason}. ` +
      'Electron downloads its runtime from GitHub the first time it runs, which this machine may not reach. ' +
      'Vitally Importer will run in your web browser instead: the same app, served only to this computer on ' +
      '127.0.0.1 behind a one-time key. To get the desktop window later, run "npx install-electron" on a ' +
      'machine with internet access, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron.\n',
  );
  await runWebHost(process.argv.slice(2));
}
