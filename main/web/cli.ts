import { statfs } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { acquireInstanceLock, handOverMessage } from '../instance-lock.ts';
import { createFileLogger } from '../log.ts';
import { startupFailureMessage } from '../startup-error.ts';
import { resolveAppPaths } from '../paths.ts';
import { createServices, type Services } from '../services/index.ts';
import { openInBrowser } from './open-browser.ts';
import { startWebHost, type WebHost } from './server.ts';
import { BROWSER_LINK_MS } from './session.ts';

/**
 * The web host as a command: the app's services and renderer on 127.0.0.1, for machines where the Electron
 * runtime is not installed. Prints a link that opens the app once and opens the default browser (when there is one)
 * on another, which works once and only for two minutes, since other users can read a command line. Prints a new
 * link when Enter is pressed, or when someone asks for the app after the last link was used. Arguments:
 * `[--port <n>] [--no-open]`.
 */
export async function runWebHost(argv: readonly string[]): Promise<void> {
  const portArg = valueOf(argv, '--port');
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`"--port ${portArg}" is not a port number (0–65535).`);
    process.exitCode = 2;
    return;
  }
  const paths = resolveAppPaths();
  const log = createFileLogger(paths.logDir);
  // One app per data folder: a second start hands over to the first (a new link to it) and opens nothing itself.
  let host: WebHost | null = null;
  let services: Services | null = null;
  const lock = await acquireInstanceLock(paths.dataDir, () => {
    console.log('\nAnother start of Vitally Importer on this data folder was sent here, with a new link.');
    services?.bus.emit('secondStart', {});
    const url = host?.newLink({ lifetimeMs: BROWSER_LINK_MS });
    return { host: 'web', pid: process.pid, ...(url ? { url } : {}) };
  });
  if (lock.kind === 'taken') {
    log.info('handed over to the app that has this data folder', { pid: lock.handOver?.pid ?? null });
    console.log(handOverMessage(lock.handOver, paths.dataDir));
    if (lock.handOver?.url && !argv.includes('--no-open')) openInBrowser(lock.handOver.url, log);
    if (!lock.handOver) process.exitCode = 1;
    return;
  }
  let started: Services;
  try {
    started = createServices({ host: 'web', paths, log, warmUp: true });
  } catch (error) {
    log.error('the app could not start', { error });
    console.error(startupFailureMessage(error, paths));
    process.exitCode = 1;
    await lock.release();
    return;
  }
  services = started;
  const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
  await started.files.pruneUploads().catch((error: unknown) => log.warn('old uploads could not be removed', { error }));
  const printLink = (url: string) =>
    console.log(`\nA new link to open Vitally Importer (it works once):\n\n  ${url}\n`);
  host = await startWebHost({
    dispatch: started.dispatch,
    bus: started.bus,
    receiveUpload: (name, size, body) => started.files.receiveUpload(name, size, body),
    freeSpace: () => statfs(paths.dataDir).then((space) => space.bavail * space.bsize),
    exportBatches: (fileId) => ({
      fileName: started.previews.exportName(fileId),
      write: (out) => started.previews.writeBatches(fileId, out),
    }),
    takeDownload: (id) => started.downloads.take(id),
    log,
    rendererDir,
    port,
    onNewLink: printLink,
  });

  const running = host;
  console.log(`Vitally Importer is running. Open it with this link (it works once):\n\n  ${running.newLink()}\n`);
  console.log(`Data: ${paths.dataDir}\nLogs: ${paths.logDir}`);
  console.log('Press Enter for a new link (for another browser, or after restarting this one), Ctrl+C to stop.');
  if (!argv.includes('--no-open')) openInBrowser(running.newLink({ lifetimeMs: BROWSER_LINK_MS }), log);
  process.stdin.on('data', () => printLink(running.newLink()));

  const stop = () => {
    void running
      .close()
      .then(() => started.close())
      .then(() => lock.release())
      .then(() => {
        log.info('web host stopped');
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function valueOf(argv: readonly string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  return index === -1 ? undefined : argv[index + 1];
}
