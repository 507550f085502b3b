/**
 * The Electron shell: one window, the application menu, the IPC side of the contract. The services behind the
 * contract are the same ones the web host serves (`main/services`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  shell,
  Menu,
  nativeTheme,
  net,
  Notification,
  session,
  type OpenDialogOptions,
  type WebContents,
} from 'electron';
import { acquireInstanceLock, handOverMessage } from '../instance-lock.ts';
import { createFileLogger, createMemoryLogger, type Logger } from '../log.ts';
import { startupFailureMessage } from '../startup-error.ts';
import { APP_NAME, DATA_DIR_ENV, pathsIn } from '../paths.ts';
import { createServices, type Services } from '../services/index.ts';
import { SendTracker } from '../send-tracker.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { answerQuits, APP_ID, closingWindowQuits, needsAppUserModelId, QUIT_QUESTION } from './lifecycle.ts';
import { buildMenu } from './menu.ts';
import { runSelfCheck, SELF_CHECK_FLAG, type SelfCheckResult } from './self-check.ts';
import { registerRendererScheme, serveRenderer } from './protocol.ts';
import { mayLoadResource } from './trust.ts';
import { createMainWindow, windowStateFile } from './window.ts';

// Before `ready`, synchronously (an `await` here would let `ready` pass first): the app's name and folders, its
// Windows identity, and the `app:` scheme's privileges.
app.setName(APP_NAME);
if (needsAppUserModelId(process.platform)) app.setAppUserModelId(APP_ID);
// `--self-check` runs in a throwaway folder of its own, beside any running copy of the app.
const selfCheck = process.argv.includes(SELF_CHECK_FLAG);
if (selfCheck) app.setPath('userData', mkdtempSync(join(tmpdir(), 'vitally-importer-self-check-')));
else if (process.env[DATA_DIR_ENV]) app.setPath('userData', process.env[DATA_DIR_ENV]);
const paths = pathsIn(app.getPath('userData'));
app.setAppLogsPath(paths.logDir);
// The log file is opened once the app is ready, inside the start that reports its own failure.
let log: Logger = createMemoryLogger();

registerRendererScheme();

/**
 * A start that fails is said, not swallowed: Electron only logs an unhandled rejection, which would leave no
 * window, no message and the single-instance lock held, so that every later start would end at once.
 */
function failedToStart(error: unknown): void {
  log.error('the app could not start', { error });
  dialog.showErrorBox(APP_NAME, startupFailureMessage(error, paths));
  app.quit();
}

if (selfCheck) {
  void app
    .whenReady()
    .then(() => runSelfCheck(paths, log))
    .catch((error: unknown): SelfCheckResult => ({
      ok: false,
      steps: [{ step: 'read', ok: false, detail: error instanceof Error ? error.message : String(error) }],
    }))
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      app.exit(result.ok ? 0 : 1);
    });
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  const showWindow = () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };
  app.on('second-instance', showWindow);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => failedToStart(error));

  async function start(): Promise<void> {
    log = createFileLogger(paths.logDir);
    // One app per data folder, whichever host has it: `npm run web` on the same folder hands over to this window,
    // and this window hands over to a web host that already has it.
    let announce: (() => void) | null = null;
    const lock = await acquireInstanceLock(paths.dataDir, () => {
      showWindow();
      announce?.();
      return { host: 'electron', pid: process.pid };
    });
    if (lock.kind === 'taken') {
      log.info('handed over to the app that has this data folder', { pid: lock.handOver?.pid ?? null });
      if (lock.handOver?.url) void shell.openExternal(lock.handOver.url);
      else dialog.showErrorBox(APP_NAME, handOverMessage(lock.handOver, paths.dataDir));
      app.quit();
      return;
    }
    app.on('will-quit', () => void lock.release());
    const services = startServices();
    announce = () => services.bus.emit('secondStart', {});
    hardenSession();
    serveRenderer(fileURLToPath(new URL('../renderer', import.meta.url)));
    registerIpc(services.dispatch, log, (contents: WebContents) => contents === mainWindow?.webContents);
    installMenu(services);
    const mayStop = trackSends(services);
    const openWindow = () => {
      mainWindow = createMainWindow({
        preload: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
        stateFile: windowStateFile(),
      });
      forwardEvents(services.bus, mainWindow.webContents);
      mainWindow.on('close', (event) => {
        if (closingWindowQuits(process.platform) && !mayStop()) event.preventDefault();
      });
      mainWindow.on('closed', () => (mainWindow = null));
    };
    openWindow();
    log.info('app started', { version: app.getVersion(), electron: process.versions.electron });

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  }

  /** The services, with what only Electron gives them: its network stack, its Save dialog, the native theme. */
  function startServices(): Services {
    const services = createServices({
      host: 'electron',
      paths,
      log,
      warmUp: true,
      electronVersions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' },
      // Requests to Vitally go through Chromium's network stack: the system's proxy settings and certificate store
      // (a corporate TLS proxy), which Node's `fetch` ignores and the packaged app's fuses keep NODE_EXTRA_CA_CERTS
      // from changing.
      fetch: (url, init) => net.fetch(url, init),
      // Preview › Save all batches: the native Save dialog, in the Documents folder by default.
      chooseSavePath: async (suggestedName) => {
        const options = {
          title: 'Save all batches as JSON Lines',
          defaultPath: join(app.getPath('documents'), suggestedName),
          filters: [{ name: 'JSON Lines', extensions: ['jsonl'] }],
        };
        const choice = mainWindow
          ? await dialog.showSaveDialog(mainWindow, options)
          : await dialog.showSaveDialog(options);
        return choice.canceled || !choice.filePath ? null : choice.filePath;
      },
    });
    app.on('will-quit', () => void services.close());
    nativeTheme.themeSource = services.settings.get().theme;
    services.bus.on('settingsChanged', (settings) => (nativeTheme.themeSource = settings.theme));
    return services;
  }

  /** No remote content: the app's pages may only load from the app itself, and may ask for no permissions. */
  function hardenSession(): void {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
      const allowed = mayLoadResource(details.url);
      if (!allowed) log.warn('blocked a request for remote content', { url: details.url });
      callback({ cancel: !allowed });
    });
  }

  /** The menu, with File › Open…: the native dialog, then main starts reading and tells the window. */
  function installMenu(services: Services): void {
    const openFile = async () => {
      const options: OpenDialogOptions = {
        title: 'Open a spreadsheet',
        properties: ['openFile'],
        filters: [
          { name: 'Spreadsheets', extensions: ['csv', 'tsv', 'tab', 'txt', 'psv', 'xlsx', 'xlsm', 'xls', 'ods'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const choice = mainWindow
        ? await dialog.showOpenDialog(mainWindow, options)
        : await dialog.showOpenDialog(options);
      const path = choice.filePaths[0];
      if (choice.canceled || !path) return;
      const started = await services.dispatch('loadFile', { source: { kind: 'path', path } });
      if (started.ok) {
        const { taskId, fileId } = started.value as { taskId: string; fileId: string };
        services.bus.emit('fileLoadStarted', { taskId, fileId, name: basename(path) });
      } else {
        dialog.showErrorBox('The file could not be opened', started.error.message);
      }
    };
    Menu.setApplicationMenu(
      buildMenu((command) => services.bus.emit('menuCommand', command), {
        devTools: !app.isPackaged,
        openFile: () =>
          void openFile().catch((error: unknown) => {
            log.error('a file chosen from the menu could not be opened', { error });
            dialog.showErrorBox('The file could not be opened', 'Something went wrong inside the app; see the log.');
          }),
      }),
    );
  }

  /**
   * A send shows in the taskbar or dock, says when it ends while the window is in the background, and is not quit
   * by accident: quitting during one asks first (the run stays resumable from History either way). Returns the
   * question's answer as `mayStop`, asked when the window is closed where that quits the app (Windows and Linux:
   * Electron emits the window's `closed` before `window-all-closed` → `before-quit`, so the window is gone by then)
   * and when the app is quit: whichever comes first asks, and a Quit is not asked twice.
   */
  function trackSends(services: Services): () => boolean {
    const tracker = new SendTracker();
    services.bus.on('runProgress', (progress) => {
      const { bar, notice } = tracker.update(progress);
      if (!mainWindow) return;
      if (bar) mainWindow.setProgressBar(bar.value, { mode: bar.mode });
      else mainWindow.setProgressBar(-1);
      if (notice && !mainWindow.isFocused() && Notification.isSupported()) new Notification(notice).show();
    });
    const mayStop = (): boolean => {
      if (!tracker.sending) return true;
      const choice = mainWindow
        ? dialog.showMessageBoxSync(mainWindow, QUIT_QUESTION)
        : dialog.showMessageBoxSync(QUIT_QUESTION);
      if (!answerQuits(choice)) return false;
      tracker.clear();
      return true;
    };
    app.on('before-quit', (event) => {
      if (!mayStop()) event.preventDefault();
    });
    return mayStop;
  }

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
