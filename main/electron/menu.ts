import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../app/contract.ts';

const API_DOCS = 'https://docs.vitally.io/pushing-data-to-vitally/using-the-vitally-api/https-analytics-api';

/**
 * File › History's shortcut: Ctrl+H as in browsers on Windows and Linux; on macOS Cmd+H hides the app (the system
 * takes it before any menu), so History uses Cmd+Y there, as Safari and Chrome do.
 */
export function historyAccelerator(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'Cmd+Y' : 'Ctrl+H';
}

export interface MenuActions {
  send: (command: MenuCommand) => void;
  openFile: () => void;
  openDocs: () => void;
  openLogs: () => void;
}

/** The application menu's template for a platform (a pure function, so each platform's menu is tested). */
export function menuTemplate(
  platform: NodeJS.Platform,
  options: { devTools: boolean; appName: string },
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Spreadsheet…', accelerator: 'CmdOrCtrl+O', click: actions.openFile },
        { label: 'History', accelerator: historyAccelerator(platform), click: () => actions.send('show-history') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(options.devTools ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { label: 'Vitally Analytics API Documentation', click: actions.openDocs },
        { label: 'Show Logs Folder', click: actions.openLogs },
        { type: 'separator' },
        { label: `About ${options.appName}`, click: () => actions.send('show-about') },
      ],
    },
  ];
}

/** The application menu: File › Open…, Edit, View, Window, Help › About. Commands go to the window. */
export function buildMenu(
  send: (command: MenuCommand) => void,
  options: { devTools: boolean; openFile: () => void },
): Menu {
  return Menu.buildFromTemplate(
    menuTemplate(
      process.platform,
      { devTools: options.devTools, appName: app.name },
      {
        send,
        openFile: options.openFile,
        openDocs: () => void shell.openExternal(API_DOCS),
        openLogs: () => void shell.openPath(app.getPath('logs')),
      },
    ),
  );
}
