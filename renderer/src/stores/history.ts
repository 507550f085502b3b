import { create } from 'zustand';
import type { RunSummary } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';

interface HistoryState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  runs: RunSummary[];
  error: string | null;
  load: () => Promise<void>;
}

/** Past imports, as listed by the run journal in main. */
export const useHistory = create<HistoryState>()((set) => ({
  status: 'idle',
  runs: [],
  error: null,
  async load() {
    set({ status: 'loading', error: null });
    try {
      set({ status: 'ready', runs: await call('listRuns', {}) });
    } catch (error) {
      set({ status: 'failed', error: messageOf(error) });
    }
  },
}));
