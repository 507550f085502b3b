/**
 * A recording stand-in of the `electron` module, for running the built main process (`out/main/electron.js`)
 * under plain Node. It mirrors what Electron 45 documents and does, where the app depends on it:
 *
 * - `ready` comes on the first turn of the event loop after the main script was evaluated; the APIs Electron
 *   refuses before `ready` (windows, screen, sessions, protocol handlers, most dialogs, `net`) throw here too, and
 *   `protocol.registerSchemesAsPrivileged` throws after it.
 * - A window closed by its user: `close` (which may be prevented) → `closed` → `window-all-closed` (or, with no
 *   listener, quit). `app.quit()`: `before-quit` (preventable) → each window's `close` (preventable: a prevented
 *   close cancels the quit) and `closed` → `will-quit` (preventable) → `quit`, then the process ends. Windows and
 *   Linux: `maximize()` also shows a hidden window. Platform-only methods (`app.setAppUserModelId`) exist only on
 *   their platform.
 * - An unhandled rejection or uncaught exception is recorded and the process goes on, as Electron's main process
 *   only logs them.
 *
 * Every call is recorded and sent to the test over the child process's IPC channel (`{ kind: 'record' }`), with
 * whether the app was ready. The test drives the app with commands (`{ cmd }`, see `Command`): a call from a page,
 * a request to a protocol, the user closing the window, answers for the next message boxes, permission requests.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let sequence = 0;
let ready = false;
const platform = process.platform;

function send(message: Record<string, unknown>): void {
  if (process.connected) process.send?.(message);
}

/** A value as data: functions and windows by name, so every record can cross the IPC channel. */
function plain(value: unknown, depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'function') return '[function]';
  if (value instanceof BrowserWindow) return `[window ${value.id}]`;
  if (value instanceof WebContents) return `[webContents ${value.id}]`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Error) return { error: value.message };
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plain(item, depth + 1);
    return out;
  }
  return `[${typeof value}]`;
}

function record(api: string, ...args: unknown[]): void {
  send({ kind: 'record', seq: ++sequence, api, args: plain(args), ready });
}

function requireReady(api: string, message: string): void {
  if (ready) return;
  record('violation', api, message);
  throw new Error(message);
}

class PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** Emits an event Electron lets a listener prevent; resolves to whether one did. */
function emitPreventable(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = new PreventableEvent();
  record(`emit:${name}`);
  emitter.emit(name, event, ...args);
  return event.defaultPrevented;
}

// ---------------------------------------------------------------------------------------------------------------
// app

const appDir = findAppDir(process.argv[1] ?? process.cwd());
const appPackage = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as {
  name: string;
  productName?: string;
  version: string;
};

function findAppDir(start: string): string {
  let dir = dirname(start);
  for (;;) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`no package.json above ${start}`);
      dir = parent;
    }
  }
}

const paths = new Map<string, string>();
const home = process.env.STANDIN_HOME ?? join(tmpdir(), 'standin-home');
let appName = appPackage.productName ?? appPackage.name;
let quitting = false;
let readyResolve: () => void = () => undefined;
const readyPromise = new Promise<void>((resolve) => (readyResolve = resolve));

class App extends EventEmitter {
  get name(): string {
    return appName;
  }
  set name(value: string) {
    appName = value;
  }
  readonly isPackaged = process.env.STANDIN_PACKAGED === '1';
  setName(name: string): void {
    record('app.setName', name);
    appName = name;
  }
  getName(): string {
    return appName;
  }
  getVersion(): string {
    return appPackage.version;
  }
  getAppPath(): string {
    return appDir;
  }
  getPath(name: string): string {
    const set = paths.get(name);
    if (set) return set;
    if (name === 'userData') return join(home, '.config', appName);
    if (name === 'logs') return join(this.getPath('userData'), 'logs');
    return join(home, name);
  }
  setPath(name: string, path: string): void {
    record('app.setPath', name, path);
    paths.set(name, path);
  }
  setAppLogsPath(path?: string): void {
    record('app.setAppLogsPath', path);
    if (path) paths.set('logs', path);
  }
  requestSingleInstanceLock(): boolean {
    const granted = process.env.STANDIN_SECOND_INSTANCE !== '1';
    record('app.requestSingleInstanceLock', granted);
    return granted;
  }
  isReady(): boolean {
    return ready;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  focus(): void {
    record('app.focus');
  }
  quit(): void {
    record('app.quit');
    setImmediate(() => quit());
  }
  exit(code = 0): void {
    record('app.exit', code);
    finish(code);
  }
}
export const app = new App();
if (platform === 'win32') {
  Object.defineProperty(app, 'setAppUserModelId', {
    value: (id: string) => record('app.setAppUserModelId', id),
  });
}

function quit(): void {
  if (quitting) return;
  quitting = true;
  const cancel = () => {
    quitting = false;
    record('quit-cancelled');
  };
  if (emitPreventable(app, 'before-quit')) return cancel();
  for (const window of [...windows]) {
    if (!window.closeByQuit()) return cancel();
  }
  if (emitPreventable(app, 'will-quit')) return cancel();
  record('emit:quit');
  app.emit('quit', new PreventableEvent(), 0);
  finish(0);
}

function finish(code: number): void {
  record('exit', code);
  // The records go out before the process ends, as Electron's own exit lets pending work go.
  clearInterval(keepAlive);
  setImmediate(() => process.exit(code));
}

// ---------------------------------------------------------------------------------------------------------------
// Windows and their contents

const windows: BrowserWindow[] = [];
let nextId = 1;

export class WebContents extends EventEmitter {
  readonly id: number;
  url = '';
  #destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  constructor(id: number) {
    super();
    this.id = id;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.#destroyed) throw new Error('Object has been destroyed');
    record('webContents.send', channel, ...args);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  getURL(): string {
    return this.url;
  }
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows(): BrowserWindow[] {
    return [...windows];
  }
  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return windows.find((window) => window.webContents === contents) ?? null;
  }

  readonly id: number;
  readonly webContents: WebContents;
  readonly options: Record<string, unknown>;
  #visible: boolean;
  #painted = false;
  #maximized = false;
  #minimized = false;
  #focused = true;
  #destroyed = false;

  constructor(options: Record<string, unknown> = {}) {
    super();
    requireReady('new BrowserWindow', 'Cannot create BrowserWindow before app is ready');
    this.id = nextId++;
    this.options = options;
    this.webContents = new WebContents(this.id);
    this.#visible = options.show !== false;
    windows.push(this);
    app.emit('web-contents-created', new PreventableEvent(), this.webContents);
    record('new BrowserWindow', options);
    app.emit('browser-window-created', new PreventableEvent(), this);
  }

  async loadURL(url: string): Promise<void> {
    record('window.loadURL', url);
    this.webContents.url = url;
    // The page is fetched through the app's own protocol handler, as Chromium would, then painted.
    const page = await requestThroughProtocol(url);
    record('page-loaded', url, page.status, page.headers['content-type'] ?? null);
    if (this.#destroyed) return;
    this.#painted = true;
    this.webContents.emit('did-finish-load');
    if (!this.#visible) {
      record('emit:ready-to-show');
      this.emit('ready-to-show');
    }
  }
  show(): void {
    this.#becomeVisible('show');
  }
  #becomeVisible(how: string): void {
    record('window.shown', how, { painted: this.#painted, maximized: this.#maximized });
    if (this.#visible) return;
    this.#visible = true;
    this.emit('show');
  }
  isVisible(): boolean {
    return this.#visible;
  }
  maximize(): void {
    this.#maximized = true;
    record('window.maximize');
    // Windows and Linux: "This will also show (but not focus) the window if it isn't being displayed already."
    if (platform !== 'darwin' && !this.#visible) this.#becomeVisible('maximize');
  }
  isMaximized(): boolean {
    return this.#maximized;
  }
  isMinimized(): boolean {
    return this.#minimized;
  }
  restore(): void {
    this.#minimized = false;
    record('window.restore');
  }
  focus(): void {
    this.#focused = true;
    record('window.focus');
  }
  isFocused(): boolean {
    return this.#focused;
  }
  setFocused(focused: boolean): void {
    this.#focused = focused;
    this.emit(focused ? 'focus' : 'blur');
  }
  setProgressBar(value: number, options?: unknown): void {
    record('window.setProgressBar', value, options);
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    const { x = 100, y = 100, width = 1200, height = 800 } = this.options as Record<string, number>;
    return { x, y, width, height };
  }
  getBounds(): { x: number; y: number; width: number; height: number } {
    return this.getNormalBounds();
  }
  setTitle(title: string): void {
    record('window.setTitle', title);
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  /** The user closes the window (its close box, Alt+F4, Ctrl+W). */
  close(): boolean {
    record('window.close', this.id);
    if (this.#destroyed) return true;
    if (emitPreventable(this, 'close')) return false;
    this.#destroy();
    if (windows.length === 0 && !quitting) {
      if (app.listenerCount('window-all-closed') > 0) {
        record('emit:window-all-closed');
        app.emit('window-all-closed');
      } else {
        quit();
      }
    }
    return true;
  }
  /** Closed by `app.quit()`: `close` and `closed`, but never `window-all-closed`. */
  closeByQuit(): boolean {
    if (emitPreventable(this, 'close')) return false;
    this.#destroy();
    return true;
  }
  destroy(): void {
    record('window.destroy', this.id);
    this.#destroy();
  }
  #destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    windows.splice(windows.indexOf(this), 1);
    record('emit:closed', this.id);
    this.emit('closed');
    this.webContents.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// protocol, session, ipcMain

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();
let privilegedRegistered = false;

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (ready) {
      record('violation', 'protocol.registerSchemesAsPrivileged', 'called after ready');
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    }
    if (privilegedRegistered) throw new Error('protocol.registerSchemesAsPrivileged can only be called once');
    privilegedRegistered = true;
    record('protocol.registerSchemesAsPrivileged', schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    requireReady('protocol.handle', 'protocol.handle must be called after app is ready');
    if (protocolHandlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    record('protocol.handle', scheme);
    protocolHandlers.set(scheme, handler);
  },
  isProtocolHandled(scheme: string): boolean {
    return protocolHandlers.has(scheme);
  },
};

async function requestThroughProtocol(
  url: string,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const scheme = url.slice(0, url.indexOf(':'));
  const handler = protocolHandlers.get(scheme);
  if (!handler) return { status: -1, headers: {}, body: Buffer.alloc(0) };
  const response = await handler(new Request(url));
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

type PermissionRequestHandler = (
  contents: WebContents,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type PermissionCheckHandler = (
  contents: WebContents | null,
  permission: string,
  origin: string,
  details: Record<string, unknown>,
) => boolean;
type BeforeRequest = (details: { url: string }, callback: (answer: { cancel?: boolean }) => void) => void;

const sessionState: {
  permissionRequest: PermissionRequestHandler | null;
  permissionCheck: PermissionCheckHandler | null;
  beforeRequest: BeforeRequest | null;
} = { permissionRequest: null, permissionCheck: null, beforeRequest: null };

const defaultSession = {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    record('session.setPermissionRequestHandler');
    sessionState.permissionRequest = handler;
  },
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    record('session.setPermissionCheckHandler');
    sessionState.permissionCheck = handler;
  },
  webRequest: {
    onBeforeRequest(handler: BeforeRequest | null): void {
      record('session.webRequest.onBeforeRequest');
      sessionState.beforeRequest = handler;
    },
  },
};

export const session = {
  get defaultSession() {
    requireReady('session.defaultSession', 'Session can only be received when app is ready');
    return defaultSession;
  },
};

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;
const ipcHandlers = new Map<string, IpcHandler>();

export const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel: string, handler: IpcHandler): void {
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    record('ipcMain.handle', channel);
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcHandlers.delete(channel);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Dialogs, clipboard, shell, menus, theme, notifications, screen, net

const messageBoxAnswers: number[] = [];

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content);
  },
  showMessageBoxSync(...args: unknown[]): number {
    requireReady('dialog.showMessageBoxSync', 'dialog.showMessageBoxSync before app is ready');
    const options = (args.length > 1 ? args[1] : args[0]) as { cancelId?: number };
    const answer = messageBoxAnswers.shift() ?? options.cancelId ?? 0;
    record('dialog.showMessageBoxSync', { parent: args.length > 1 ? args[0] : null, options, answer });
    return answer;
  },
  showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    return Promise.resolve({ response: dialog.showMessageBoxSync(...args), checkboxChecked: false });
  },
  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    requireReady('dialog.showSaveDialog', 'dialog.showSaveDialog before app is ready');
    record('dialog.showSaveDialog', args.at(-1));
    const path = process.env.STANDIN_SAVE_PATH;
    return Promise.resolve(path ? { canceled: false, filePath: path } : { canceled: true });
  },
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    requireReady('dialog.showOpenDialog', 'dialog.showOpenDialog before app is ready');
    record('dialog.showOpenDialog', args.at(-1));
    const path = process.env.STANDIN_OPEN_PATH;
    return Promise.resolve(path ? { canceled: false, filePaths: [path] } : { canceled: true, filePaths: [] });
  },
};

let clipboardText = '';
export const clipboard = {
  writeText(text: string): Promise<void> {
    record('clipboard.writeText', text);
    clipboardText = text;
    return Promise.resolve();
  },
  readText(): Promise<string> {
    return Promise.resolve(clipboardText);
  },
};

export const shell = {
  openExternal(url: string): Promise<void> {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
  openPath(path: string): Promise<string> {
    record('shell.openPath', path);
    return Promise.resolve('');
  },
};

interface MenuItemOptions {
  label?: string;
  role?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemOptions[];
}
let applicationMenu: { items: MenuItemOptions[] } | null = null;

export const Menu = {
  buildFromTemplate(template: MenuItemOptions[]): { items: MenuItemOptions[] } {
    return { items: template };
  },
  setApplicationMenu(menu: { items: MenuItemOptions[] } | null): void {
    record('Menu.setApplicationMenu', menu?.items ?? null);
    applicationMenu = menu;
  },
  getApplicationMenu(): { items: MenuItemOptions[] } | null {
    return applicationMenu;
  },
};

function findMenuItem(items: MenuItemOptions[], label: string): MenuItemOptions | null {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? findMenuItem(item.submenu, label) : null;
    if (inner) return inner;
  }
  return null;
}

class NativeTheme extends EventEmitter {
  shouldUseDarkColors = false;
  #source = 'system';
  get themeSource(): string {
    return this.#source;
  }
  set themeSource(value: string) {
    record('nativeTheme.themeSource', value);
    this.#source = value;
  }
}
export const nativeTheme = new NativeTheme();

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly options: unknown;
  constructor(options: unknown) {
    super();
    requireReady('new Notification', 'Cannot create Notification before app is ready');
    this.options = options;
  }
  show(): void {
    record('Notification.show', this.options);
  }
}

export const screen = {
  getAllDisplays() {
    requireReady('screen.getAllDisplays', "The 'screen' module can't be used before the app 'ready' event");
    return [
      { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
    ];
  },
  getPrimaryDisplay() {
    return screen.getAllDisplays()[0];
  },
};

export const net = {
  fetch(input: string | Request, init?: RequestInit): Promise<Response> {
    requireReady('net.fetch', 'net.fetch can only be used after app is ready');
    const url = typeof input === 'string' ? input : input.url;
    record('net.fetch', url, init?.method ?? 'GET');
    return fetch(input, init);
  },
};

export const webUtils = {
  getPathForFile(): string {
    return '';
  },
};

export default {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  net,
  Notification,
  protocol,
  screen,
  session,
  shell,
  webUtils,
};

// ---------------------------------------------------------------------------------------------------------------
// Electron's own behaviour around the app: errors only logged, `ready` after the main script

process.on('unhandledRejection', (reason) => record('unhandledRejection', String(reason)));
process.on('uncaughtException', (error) => record('uncaughtException', error.stack ?? String(error)));

setImmediate(() => {
  ready = true;
  record('emit:will-finish-launching');
  app.emit('will-finish-launching');
  record('emit:ready');
  app.emit('ready', new PreventableEvent(), {});
  readyResolve();
});

// ---------------------------------------------------------------------------------------------------------------
// The test's commands

/** What the test can ask of the running app (`{ cmd, id, ... }`); each is answered `{ kind: 'reply', id, value }`. */
export type Command =
  | {
      cmd: 'invoke';
      id: number;
      channel: string;
      args: unknown[];
      frameUrl: string | null;
      subFrame?: boolean;
      otherContents?: boolean;
    }
  | { cmd: 'request'; id: number; url: string }
  | { cmd: 'closeWindow'; id: number }
  | { cmd: 'quit'; id: number }
  | { cmd: 'answers'; id: number; messageBox: number[] }
  | { cmd: 'permission'; id: number; permission: string; url: string }
  | { cmd: 'beforeRequest'; id: number; url: string }
  | { cmd: 'navigate'; id: number; url: string }
  | { cmd: 'windowOpen'; id: number; url: string }
  | { cmd: 'focus'; id: number; focused: boolean }
  | { cmd: 'menu'; id: number; label: string }
  | { cmd: 'clipboard'; id: number }
  | { cmd: 'windows'; id: number };

async function run(command: Command): Promise<unknown> {
  const window = windows[0] ?? null;
  switch (command.cmd) {
    case 'invoke': {
      const handler = ipcHandlers.get(command.channel);
      if (!handler) return { noHandler: command.channel };
      const sender = command.otherContents ? new WebContents(999) : window?.webContents;
      const event = {
        sender,
        senderFrame:
          command.frameUrl === null
            ? null
            : { url: command.frameUrl, parent: command.subFrame ? { url: 'app://renderer/index.html' } : null },
        frameId: 1,
        processId: 1,
      };
      return handler(event, ...command.args);
    }
    case 'request': {
      const answer = await requestThroughProtocol(command.url);
      const type = answer.headers['content-type'] ?? '';
      const text = /^(text|application\/(json|javascript))/.test(type) ? answer.body.toString('utf8') : null;
      return { status: answer.status, headers: answer.headers, length: answer.body.length, text };
    }
    case 'closeWindow':
      return window ? window.close() : null;
    case 'quit':
      app.quit();
      return true;
    case 'answers':
      messageBoxAnswers.push(...command.messageBox);
      return true;
    case 'permission': {
      const request = sessionState.permissionRequest;
      const check = sessionState.permissionCheck;
      const origin = new URL(command.url).protocol === 'app:' ? 'app://renderer' : new URL(command.url).origin;
      const checked = check
        ? check(window?.webContents ?? null, command.permission, origin, {
            requestingUrl: command.url,
            isMainFrame: true,
          })
        : true;
      const requested = request
        ? await new Promise<boolean>((resolve) =>
            request(window!.webContents, command.permission, resolve, {
              requestingUrl: command.url,
              isMainFrame: true,
            }),
          )
        : true;
      return { checked, requested };
    }
    case 'beforeRequest': {
      const handler = sessionState.beforeRequest;
      if (!handler) return { cancel: false };
      return new Promise((resolve) =>
        handler({ url: command.url }, (answer) => resolve({ cancel: answer.cancel === true })),
      );
    }
    case 'navigate': {
      if (!window) return null;
      return { prevented: emitPreventable(window.webContents, 'will-navigate', command.url) };
    }
    case 'windowOpen':
      return window?.webContents.windowOpenHandler?.({ url: command.url }) ?? null;
    case 'focus':
      window?.setFocused(command.focused);
      return true;
    case 'menu': {
      const item = applicationMenu ? findMenuItem(applicationMenu.items, command.label) : null;
      item?.click?.();
      return item ? { accelerator: item.accelerator ?? null } : null;
    }
    case 'clipboard':
      return clipboardText;
    case 'windows':
      return windows.map((w) => ({
        id: w.id,
        visible: w.isVisible(),
        maximized: w.isMaximized(),
        url: w.webContents.url,
      }));
  }
}

process.on('message', (command: Command) => {
  run(command).then(
    (value) => send({ kind: 'reply', id: command.id, value: plain(value) }),
    (error: unknown) => send({ kind: 'reply', id: command.id, error: String(error) }),
  );
});
// Electron's process lives until the app quits, whatever its event loop holds; and this one ends with its test.
const keepAlive = setInterval(() => undefined, 1 << 30);
process.on('disconnect', () => process.exit(1));
