import { join } from 'node:path';
import { app, BrowserWindow, nativeTheme, screen, shell } from 'electron';
import { loadWindowState, placeWindow, saveWindowState } from './window-state.ts';
import { externalLinkAllowed, mayNavigate, RENDERER_URL } from './trust.ts';

/**
 * The one window factory. Every security setting is set here and nowhere else: context isolation, the sandbox,
 * no Node in the renderer, no webviews, navigation only within the app's own origin, new windows refused (links to
 * Vitally's sites open in the system browser). The window's size and place are remembered.
 */
export function createMainWindow(options: { preload: string; stateFile: string }): BrowserWindow {
  const saved = loadWindowState(options.stateFile);
  const placed = placeWindow(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...placed,
    minWidth: 900,
    minHeight: 620,
    show: false,
    title: app.name,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14161a' : '#f6f7f9',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  // Shown only once painted: on Windows and Linux `maximize()` also shows a hidden window, so a window saved as
  // maximised is maximised then too, not before its first paint.
  window.once('ready-to-show', () => {
    if (placed.maximized) window.maximize();
    window.show();
  });

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  window.on('close', () => {
    const bounds = window.getNormalBounds();
    try {
      saveWindowState(options.stateFile, { ...bounds, maximized: window.isMaximized() });
    } catch {
      // The size is a convenience; failing to remember it must not stop the window closing.
    }
  });

  void window.loadURL(RENDERER_URL);
  return window;
}

export function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}
