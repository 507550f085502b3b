import { create } from 'zustand';
import type { ConnectionTest, KeychainStatus, Workspace } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';
import { useApp } from './app.ts';
import { useWizard } from './wizard.ts';

export interface WorkspaceDraft {
  id?: string;
  name: string;
  address: string;
  token: string;
  sessionOnly: boolean;
}

interface ConnectState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  workspaces: Workspace[];
  /** Whether tokens can be kept in the keychain; with a problem, the form offers this session only, and why. */
  keychain: KeychainStatus;
  /** Connection test results by workspace id. */
  tests: Record<string, ConnectionTest | 'running'>;
  /** A message about the last action that failed, in plain words. */
  error: string | null;
  load: () => Promise<void>;
  /** Saves a workspace (and tests it when it has a token); resolves to whether it was saved. */
  save: (draft: WorkspaceDraft) => Promise<boolean>;
  test: (id: string) => Promise<void>;
  forgetToken: (id: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  select: (id: string) => Promise<void>;
  /** "Try it without Vitally": adds the practice workspace, chooses it and tests it. */
  startPractice: () => Promise<void>;
}

/** The Connect step: the user's Vitally workspaces, which one imports go to, and whether its token works. */
export const useConnect = create<ConnectState>()((set, get) => {
  const selectedId = () => useApp.getState().settings?.workspaceId ?? null;

  /**
   * Keeps the wizard's "connected" fact true to the chosen workspace: it has a token and Vitally did not refuse
   * it in this session's last test. Connect is "Done" only then; a test that failed says why on the card.
   */
  const syncFacts = () => {
    const chosen = get().workspaces.find((w) => w.id === selectedId());
    useWizard.getState().setFacts({ workspaceConnected: isConnected(chosen, get().tests) });
  };

  /** Tests the chosen workspace once per session, so the step's state is known without a click. */
  const testChosen = () => {
    const chosen = get().workspaces.find((w) => w.id === selectedId());
    if (chosen?.token.saved && get().tests[chosen.id] === undefined) void get().test(chosen.id);
  };

  const replace = (workspace: Workspace) => {
    const others = get().workspaces.filter((w) => w.id !== workspace.id);
    const index = get().workspaces.findIndex((w) => w.id === workspace.id);
    const workspaces =
      index === -1 ? [...others, workspace] : get().workspaces.map((w) => (w.id === workspace.id ? workspace : w));
    set({ workspaces });
    syncFacts();
  };

  const refreshKeychain = async () => {
    try {
      set({ keychain: await call('getKeychainStatus', {}) });
    } catch {
      // The status stays as it was; the error already on screen says what failed.
    }
  };

  return {
    status: 'idle',
    workspaces: [],
    keychain: { available: true, problem: null, message: null },
    tests: {},
    error: null,

    async load() {
      set({ status: 'loading', error: null });
      try {
        const [workspaces, keychain] = await Promise.all([call('listWorkspaces', {}), call('getKeychainStatus', {})]);
        set({ status: 'ready', workspaces, keychain });
        syncFacts();
        testChosen();
      } catch (error) {
        set({ status: 'failed', error: messageOf(error) });
      }
    },

    async save(draft) {
      set({ error: null });
      try {
        const workspace = await call('saveWorkspace', {
          ...(draft.id ? { id: draft.id } : {}),
          name: draft.name,
          address: draft.address,
          ...(draft.token.trim() ? { token: draft.token } : {}),
          ...(draft.sessionOnly ? { sessionOnly: true } : {}),
        });
        // Whatever was tested before no longer says anything about the saved address and token.
        const tests = { ...get().tests };
        delete tests[workspace.id];
        set({ tests });
        replace(workspace);
        if (!selectedId()) await get().select(workspace.id);
        if (workspace.token.saved && get().tests[workspace.id] === undefined) void get().test(workspace.id);
        if (get().keychain.problem !== null && !draft.sessionOnly && draft.token.trim()) await refreshKeychain();
        return true;
      } catch (error) {
        set({ error: messageOf(error) });
        // A locked or refusing keychain shows itself only now: the form then offers this session only.
        await refreshKeychain();
        return false;
      }
    },

    async test(id) {
      set({ tests: { ...get().tests, [id]: 'running' } });
      try {
        const result = await call('testConnection', { id });
        set({ tests: { ...get().tests, [id]: result } });
      } catch (error) {
        set({ tests: { ...get().tests, [id]: { outcome: 'unexpected', status: null, message: messageOf(error) } } });
      }
      syncFacts();
    },

    async forgetToken(id) {
      try {
        replace(await call('forgetToken', { id }));
        const tests = { ...get().tests };
        delete tests[id];
        set({ tests });
        syncFacts();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async remove(id) {
      try {
        await call('deleteWorkspace', { id });
        set({ workspaces: get().workspaces.filter((w) => w.id !== id) });
        if (selectedId() === id) await call('updateSettings', { workspaceId: get().workspaces[0]?.id ?? null });
        syncFacts();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async startPractice() {
      set({ error: null });
      try {
        const workspace = await call('startPractice', {});
        replace(workspace);
        await get().select(workspace.id);
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async select(id) {
      try {
        const settings = await call('updateSettings', { workspaceId: id });
        useApp.setState({ settings });
        syncFacts();
        testChosen();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
  };
});

/** Whether imports can go to this workspace: a saved token that Vitally did not refuse when last tested. */
export function isConnected(
  workspace: Workspace | undefined,
  tests: Record<string, ConnectionTest | 'running'>,
): boolean {
  if (!workspace?.token.saved) return false;
  const result = tests[workspace.id];
  return result !== undefined && result !== 'running' && result.outcome === 'not-refused';
}
