import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  answerQuits,
  APP_ID,
  closingWindowQuits,
  needsAppUserModelId,
  QUIT_QUESTION,
} from '../../../main/electron/lifecycle.ts';
import { historyAccelerator, menuTemplate, type MenuActions } from '../../../main/electron/menu.ts';
import { clipboardTextProblem, MAX_CLIPBOARD_CHARS, RENDERER_SCHEME_PRIVILEGES } from '../../../main/electron/trust.ts';
import { detectKeychain, loadKeyring, resetKeyringForTests, systemProbe } from '../../../main/services/secrets.ts';

// menu.ts builds Electron's menu; only its pure template is used here.
vi.mock('electron', () => ({}));

const actions: MenuActions = {
  send: () => undefined,
  openFile: () => undefined,
  openDocs: () => undefined,
  openLogs: () => undefined,
};

type Item = { label?: string; role?: string; accelerator?: string; submenu?: unknown };
function accelerators(items: Item[]): string[] {
  return items.flatMap((item) => [
    ...(item.accelerator ? [item.accelerator] : []),
    ...(Array.isArray(item.submenu) ? accelerators(item.submenu as Item[]) : []),
  ]);
}

describe('the desktop app’s identity and life', () => {
  it('gives Windows the installer’s app id, and only Windows (the method exists nowhere else)', () => {
    const builder = readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');
    expect(builder).toMatch(new RegExp(`^appId: ${APP_ID.replace(/\./g, '\\.')}$`, 'm'));
    expect(needsAppUserModelId('win32')).toBe(true);
    expect(needsAppUserModelId('linux')).toBe(false);
    expect(needsAppUserModelId('darwin')).toBe(false);
  });

  it('asks before closing the window only where closing it quits', () => {
    expect(closingWindowQuits('win32')).toBe(true);
    expect(closingWindowQuits('linux')).toBe(true);
    // macOS keeps the app (and its send) running in the dock when the window closes.
    expect(closingWindowQuits('darwin')).toBe(false);
  });

  it('quits only on the Quit button; Keep sending, Esc and closing the box keep sending', () => {
    expect(QUIT_QUESTION.buttons[1]).toBe('Quit');
    expect(answerQuits(1)).toBe(true);
    expect(answerQuits(0)).toBe(false);
    expect(answerQuits(QUIT_QUESTION.cancelId)).toBe(false);
  });
});

describe('the application menu', () => {
  it('takes no shortcut macOS keeps for itself (Cmd+H hides the app, Cmd+Q quits, Cmd+M minimises)', () => {
    const mac = accelerators(menuTemplate('darwin', { devTools: false, appName: 'Vitally Importer' }, actions));
    expect(mac).toContain('Cmd+Y');
    for (const reserved of ['Cmd+H', 'CmdOrCtrl+H', 'Cmd+Q', 'CmdOrCtrl+Q', 'Cmd+M', 'CmdOrCtrl+M', 'Cmd+Alt+H']) {
      expect(mac).not.toContain(reserved);
    }
    expect(historyAccelerator('darwin')).toBe('Cmd+Y');
  });

  it('opens History with Ctrl+H on Windows and Linux, as browsers do', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const history = menuTemplate(platform, { devTools: false, appName: 'Vitally Importer' }, actions)
        .flatMap((item) => (item.submenu as Item[] | undefined) ?? [])
        .find((item) => item.label === 'History');
      expect(history?.accelerator).toBe('Ctrl+H');
    }
  });
});

describe('the app: scheme and the clipboard', () => {
  it('asks V8 to cache the code of its scripts (needs a standard scheme)', () => {
    expect(RENDERER_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, codeCache: true });
  });

  it('copies text only, and not without bound', () => {
    expect(clipboardTextProblem('[{"type":"user"}]')).toBeNull();
    expect(clipboardTextProblem('')).toBeNull();
    expect(clipboardTextProblem({ text: 'x' })).toBe('Only text can be copied.');
    expect(clipboardTextProblem('x'.repeat(MAX_CLIPBOARD_CHARS + 1))).toMatch(/too much text/);
  });
});

describe('a keychain library that cannot load', () => {
  it('leaves tokens for the session only instead of stopping the app', () => {
    resetKeyringForTests();
    try {
      expect(
        loadKeyring(() => {
          throw new Error('Cannot find native binding.');
        }),
      ).toBeNull();
      const status = detectKeychain({ ...systemProbe(), platform: 'linux', sessionBus: 'unix:path=/run/bus' });
      expect(status).toMatchObject({ available: false, problem: 'missing' });
    } finally {
      resetKeyringForTests();
    }
  });
});
