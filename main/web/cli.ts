import { fileURLToPath } from 'node:url';
import { createFileLogger } from '../log.ts';
import { resolveAppPaths } from '../paths.ts';
import { createServices } from '../services/index.ts';
import { openInBrowser } from './open-browser.ts';
import { startWebHost } from './server.ts';

/**
 * The web host as a command: the app's services and renderer on 127.0.0.1, for machines where the Electron
 * runtime is not installed. Prints the URL (with this launch's secret) and opens the default browser when there
 * is one. Arguments: `[--port <n>] [--no-open]`.
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
  const services = createServices({ host: 'web', paths, log });
  const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
  const host = await startWebHost({
    dispatch: services.dispatch,
    bus: services.bus,
    receiveUpload: (name, size, body) => services.files.receiveUpload(name, size, body),
    exportBatches: (fileId) => ({
      fileName: services.previews.exportName(fileId),
      write: (out) => services.previews.writeBatches(fileId, out),
    }),
    log,
    rendererDir,
    port,
  });

  console.log(`Vitally Importer is running at:\n\n  ${host.url}\n`);
  console.log(`Data: ${paths.dataDir}\nLogs: ${paths.logDir}\nPress Ctrl+C to stop.`);
  if (!argv.includes('--no-open')) openInBrowser(host.url, log);

  const stop = () => {
    void host
      .close()
      .then(() => services.close())
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
