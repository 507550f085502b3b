import { describe, expect, it, vi } from 'vitest';
import type { Envelope, KeychainStatus, Workspace } from '../../app/contract.ts';
import { freshStoreEachTest, installBridge } from '../support/bridge.ts';

const LOCKED: KeychainStatus = { available: true, problem: 'locked', message: 'Your keychain is locked…' };
const READY: KeychainStatus = { available: true, problem: null, message: null };
const WORKSPACE: Workspace = {
  id: '0b7f2a52-7d0e-4a57-9d55-4c3f4a3e2c11',
  name: 'Acme',
  address: 'acme',
  baseUrl: 'https://acme.api.vitally.io/analytics/v1',
  subdomain: 'acme',
  token: { saved: true, lastFour: '4f2a', storage: 'keychain' },
};
const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });

describe('the Connect store', () => {
  freshStoreEachTest();

  it('offers this session only once the keychain refuses a token, and stops once it takes one', async () => {
    let keychain = READY;
    let locked = true;
    installBridge({
      listWorkspaces: () => ok([]),
      getKeychainStatus: () => ok(keychain),
      getSettings: () => ok({ theme: 'light', workspaceId: null }),
      updateSettings: () => ok({ theme: 'light', workspaceId: WORKSPACE.id }),
      testConnection: () => ok({ outcome: 'not-refused', status: 400, message: 'Vitally answered.' }),
      saveWorkspace: () => {
        if (!locked) {
          keychain = READY;
          return ok(WORKSPACE);
        }
        keychain = LOCKED;
        return { ok: false, error: { code: 'UNAVAILABLE', message: 'Your keychain is locked…' } };
      },
    });
    const { useConnect } = await import('../../renderer/src/stores/connect.ts');
    await useConnect.getState().load();
    expect(useConnect.getState().keychain).toEqual(READY);

    const draft = { name: 'Acme', address: 'acme', token: 'sk_live_4f2a', sessionOnly: false };
    expect(await useConnect.getState().save(draft)).toBe(false);
    expect(useConnect.getState()).toMatchObject({ error: 'Your keychain is locked…', keychain: LOCKED });

    locked = false;
    expect(await useConnect.getState().save(draft)).toBe(true);
    expect(useConnect.getState()).toMatchObject({ error: null, keychain: READY });
  });

  it('is connected only once Vitally did not refuse the chosen workspace’s token, tested on opening', async () => {
    let outcome: 'not-refused' | 'refused' = 'refused';
    let tests = 0;
    installBridge({
      listWorkspaces: () => ok([WORKSPACE]),
      getKeychainStatus: () => ok(READY),
      getSettings: () => ok({ theme: 'light', workspaceId: WORKSPACE.id }),
      testConnection: () => {
        tests += 1;
        return ok({ outcome, status: outcome === 'refused' ? 401 : 400, message: 'Vitally answered.' });
      },
    });
    const { useApp } = await import('../../renderer/src/stores/app.ts');
    const { useWizard } = await import('../../renderer/src/stores/wizard.ts');
    const { useConnect } = await import('../../renderer/src/stores/connect.ts');
    useApp.setState({ settings: { theme: 'light', workspaceId: WORKSPACE.id } });
    await useConnect.getState().load();
    // A saved token is not enough: the test that opening the step starts must come back first.
    await vi.waitFor(() => expect(useConnect.getState().tests[WORKSPACE.id]).toMatchObject({ outcome: 'refused' }));
    expect(tests).toBe(1);
    expect(useWizard.getState().facts.workspaceConnected).toBe(false);

    outcome = 'not-refused';
    await useConnect.getState().test(WORKSPACE.id);
    expect(useWizard.getState().facts.workspaceConnected).toBe(true);
    // Loading again does not test again in the same session.
    await useConnect.getState().load();
    expect(tests).toBe(2);
  });
});
