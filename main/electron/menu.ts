import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../app/contract.ts';

const API_DOCS = 'https://docs.vitally.io/pushing-data-to-vitally/using-the-vitally-api/https-analytics-api';

/** The application menu: File › Open…, Edit, View, Window, Help › About. Commands go to the window. */
export function buildMenu(
  send: (command: MenuCommand) => void,
  options: { devTools: boolean; openFile: () => void },
): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Spreadsheet…', accelerator: 'CmdOrCtrl+O', click: options.openFile },
        { label: 'History', accelerator: 'CmdOrCtrl+H', click: () => send('show-history') },
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
        { label: 'Vitally Analytics API Documentation', click: () => void shell.openExternal(API_DOCS) },
        { label: 'Show Logs Folder', click: () => void shell.openPath(app.getPath('logs')) },
        { type: 'separator' },
        { label: `About ${app.name}`, click: () => send('show-about') },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
