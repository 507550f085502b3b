import { create } from 'zustand';
import type {
  RunBatch,
  RunDetails,
  RunExportFormat,
  RunRow,
  RunRowFilter,
  SavedExport,
} from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';

const PAGE = 50;
const BATCH_PAGE = 50;

interface RunViewState {
  runId: string | null;
  details: RunDetails | null;
  filter: RunRowFilter;
  /** Only messages of this type, or all. */
  type: string | null;
  search: string;
  rows: RunRow[];
  total: number;
  offset: number;
  loadingRows: boolean;
  batches: RunBatch[];
  batchTotal: number;
  batchOffset: number;
  selectedBatch: string | null;
  batchBody: string | null;
  batchResponse: string | null;
  /** What became of the latest export. */
  exported: { tone: 'ok' | 'error'; text: string } | null;
  exporting: RunExportFormat | null;
  error: string | null;
  /** Opens an import: its details and its failed rows (or every row when none failed). */
  open: (runId: string) => Promise<void>;
  refresh: () => Promise<void>;
  setFilter: (filter: RunRowFilter) => void;
  setType: (type: string | null) => void;
  setSearch: (search: string) => void;
  page: (offset: number) => Promise<void>;
  loadBatches: (offset: number) => Promise<void>;
  selectBatch: (batchId: string | null) => Promise<void>;
  exportRun: (format: RunExportFormat, includeUnknown?: boolean) => Promise<void>;
  /** Forgets the import's stored data; resolves to whether it was deleted. */
  deleteRun: () => Promise<boolean>;
}

/** An import's view before anything of it is loaded: nothing left over from the import opened before. */
const NOTHING_SHOWN = {
  details: null,
  type: null,
  search: '',
  rows: [],
  total: 0,
  offset: 0,
  batches: [],
  batchTotal: 0,
  batchOffset: 0,
  selectedBatch: null,
  batchBody: null,
  batchResponse: null,
  exported: null,
} satisfies Partial<RunViewState>;

let searchTimer: ReturnType<typeof setTimeout> | null = null;

/** An import opened in Results or History: its counts, its rows by outcome, its batches, its exports. */
export const useRunView = create<RunViewState>()((set, get) => {
  const loadRows = async () => {
    const { runId, filter, type, search, offset } = get();
    if (!runId) return;
    set({ loadingRows: true });
    try {
      const page = await call('listRunRows', {
        runId,
        filter,
        offset,
        limit: PAGE,
        ...(type ? { type } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
      });
      if (get().runId === runId) set({ rows: page.rows, total: page.total });
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      set({ loadingRows: false });
    }
  };

  return {
    runId: null,
    ...NOTHING_SHOWN,
    filter: 'failed',
    loadingRows: false,
    exporting: null,
    error: null,

    async open(runId) {
      if (get().runId !== runId) {
        set({ runId, ...NOTHING_SHOWN });
      }
      set({ error: null });
      try {
        const details = await call('getRunDetails', { runId });
        if (get().runId !== runId) return;
        const failed = details.totals.rejected + details.totals.unknown > 0;
        set({ details, filter: failed ? 'failed' : 'all' });
        await loadRows();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async refresh() {
      const runId = get().runId;
      if (!runId) return;
      try {
        set({ details: await call('getRunDetails', { runId }) });
        await loadRows();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    setFilter(filter) {
      set({ filter, offset: 0 });
      void loadRows();
    },

    setType(type) {
      set({ type, offset: 0 });
      void loadRows();
    },

    setSearch(search) {
      set({ search, offset: 0 });
      if (searchTimer) clearTimeout(searchTimer);
      // Asked once typing pauses, not at every key.
      searchTimer = setTimeout(() => void loadRows(), 250);
    },

    async page(offset) {
      set({ offset: Math.max(0, offset) });
      await loadRows();
    },

    async loadBatches(offset) {
      const runId = get().runId;
      if (!runId) return;
      try {
        const page = await call('listRunBatches', { runId, offset, limit: BATCH_PAGE });
        set({ batches: page.batches, batchTotal: page.total, batchOffset: offset });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async selectBatch(batchId) {
      const runId = get().runId;
      set({ selectedBatch: batchId, batchBody: null, batchResponse: null });
      if (!runId || batchId === null) return;
      try {
        const batch = await call('getRunBatch', { runId, batchId });
        if (get().selectedBatch === batchId) set({ batchBody: batch.body, batchResponse: batch.response });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async exportRun(format, includeUnknown) {
      const runId = get().runId;
      if (!runId) return;
      set({ exporting: format, exported: null });
      try {
        const saved = await call('exportRun', { runId, format, ...(includeUnknown ? { includeUnknown } : {}) });
        if (saved.download) download(saved.download);
        set({ exported: { tone: 'ok', text: savedText(saved) } });
      } catch (error) {
        set({ exported: { tone: 'error', text: messageOf(error) } });
      } finally {
        set({ exporting: null });
      }
    },

    async deleteRun() {
      const runId = get().runId;
      if (!runId) return false;
      try {
        await call('deleteRun', { runId });
        set({ runId: null, details: null, rows: [], total: 0, batches: [] });
        return true;
      } catch (error) {
        set({ error: messageOf(error) });
        return false;
      }
    },
  };
});

/** The browser fetches an export the web host offers: a link clicked, which the browser saves. */
function download(href: string): void {
  if (typeof document === 'undefined') return;
  const link = document.createElement('a');
  link.href = href;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

function savedText(saved: SavedExport): string {
  const what = `${saved.rows.toLocaleString()} ${saved.rows === 1 ? 'row' : 'rows'}`;
  if (saved.path) return `Saved ${what} to ${saved.path}.`;
  if (saved.download) return `Your browser is saving “${saved.fileName}” (${what}).`;
  return 'Nothing was saved.';
}
