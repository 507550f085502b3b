import { create } from 'zustand';
import type { RunSummary } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';

interface HistoryState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  runs: RunSummary[];
  error: string | null;
  /** The import opened, or null for the list. */
  openRunId: string | null;
  /** How many days finished imports are kept; null: for ever. */
  retentionDays: number | null;
  retentionNote: string | null;
  load: () => Promise<void>;
  openRun: (runId: string | null) => void;
  setRetention: (days: number | null) => Promise<void>;
}

/** Past imports, as listed by the run journal in main; one of them opened. */
export const useHistory = create<HistoryState>()((set, get) => ({
  status: 'idle',
  runs: [],
  error: null,
  openRunId: null,
  retentionDays: null,
  retentionNote: null,
  async load() {
    set({ status: 'loading', error: null });
    try {
      const [runs, retention] = await Promise.all([call('listRuns', {}), call('getRetention', {})]);
      set({ status: 'ready', runs, retentionDays: retention.days });
    } catch (error) {
      set({ status: 'failed', error: messageOf(error) });
    }
  },
  openRun(runId) {
    set({ openRunId: runId });
    if (runId === null) void get().load();
  },
  async setRetention(days) {
    try {
      const { deleted } = await call('setRetention', { days });
      set({
        retentionDays: days,
        retentionNote:
          deleted > 0 ? `${deleted} older ${deleted === 1 ? 'import was' : 'imports were'} forgotten.` : null,
      });
      await get().load();
    } catch (error) {
      set({ retentionNote: messageOf(error) });
    }
  },
}));
