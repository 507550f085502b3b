import { describe, expect, it } from 'vitest';
import { freshStoreEachTest, installBridge } from '../support/bridge.ts';

const INFO = {
  name: 'Vitally Importer',
  version: '0.1.0',
  host: 'web',
  platform: 'linux',
  runtime: { node: '24', electron: null, chrome: null },
  dataDir: '/data',
  logDir: '/data/logs',
};

describe('the app store', () => {
  freshStoreEachTest();

  it('loads who the app is and the preferences', async () => {
    installBridge({
      getAppInfo: () => ({ ok: true, value: INFO }),
      getSettings: () => ({ ok: true, value: { theme: 'dark', workspaceId: null } }),
    });
    const { useApp } = await import('../../renderer/src/stores/app.ts');
    await useApp.getState().load();
    expect(useApp.getState()).toMatchObject({ status: 'ready', info: INFO, settings: { theme: 'dark' } });
  });

  it('says in plain words why it could not load, and can try again', async () => {
    installBridge({
      getAppInfo: () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'The database could not be opened.' } }),
      getSettings: () => ({ ok: true, value: { theme: 'dark', workspaceId: null } }),
    });
    const { useApp } = await import('../../renderer/src/stores/app.ts');
    await useApp.getState().load();
    expect(useApp.getState()).toMatchObject({ status: 'failed', loadError: 'The database could not be opened.' });
  });

  it('shows a new theme at once, and puts the old one back with a message when main refuses it', async () => {
    let saved = 'light';
    installBridge({
      getAppInfo: () => ({ ok: true, value: INFO }),
      getSettings: () => ({ ok: true, value: { theme: saved, workspaceId: null } }),
      updateSettings: (args) => {
        const { theme } = args as { theme: string };
        if (theme === 'dark') return { ok: false, error: { code: 'UNAVAILABLE', message: 'The disk is full.' } };
        saved = theme;
        return { ok: true, value: { theme, workspaceId: null } };
      },
    });
    const { useApp } = await import('../../renderer/src/stores/app.ts');
    await useApp.getState().load();
    const pending = useApp.getState().setTheme('dark');
    expect(useApp.getState().settings).toEqual({ theme: 'dark', workspaceId: null });
    await pending;
    expect(useApp.getState().settings).toEqual({ theme: 'light', workspaceId: null });
    expect(useApp.getState().notice).toBe('The theme could not be saved. The disk is full.');
    await useApp.getState().setTheme('system');
    expect(useApp.getState().settings).toEqual({ theme: 'system', workspaceId: null });
  });
});
