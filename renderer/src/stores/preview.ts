import { counted } from '../words.ts';
import { create } from 'zustand';
import type { BatchInfo, PreviewRow, PreviewState, PreviewSummary, RowFilter } from '../../../app/contract.ts';
import { call, currentBridge, messageOf, subscribe } from '../api/client.ts';
import { endedAlready, rememberTaskEnds } from '../api/task-ends.ts';
import { useWizard } from './wizard.ts';

const BATCH_PAGE = 500;

interface PreviewStore {
  fileId: string | null;
  preview: PreviewState | null;
  /** The latest finished check's counts: kept on screen while the rows are checked again. */
  summary: PreviewSummary | null;
  taskId: string | null;
  progress: number | null;
  progressText: string;
  /** Which rows the grid shows. */
  filter: RowFilter;
  /** Only the rows this import failed to send (to fix them and re-run them), or null. */
  failedOf: string | null;
  /** Changes whenever the rows the grid shows may have changed: it fetches them again. */
  rowsVersion: number;
  batches: BatchInfo[];
  selected: number | null;
  batchBody: string | null;
  batchRows: { rowNumber: number; type: string }[];
  /** What became of the latest "Save all batches": where they were saved, or why not. */
  saved: { tone: 'ok' | 'error'; text: string } | null;
  /** Whether the batches are being written (the desktop app writes them before it answers). */
  saving: boolean;
  error: string | null;
  open: (fileId: string) => Promise<void>;
  /** Checks every row again (after a change), keeping the last counts on screen until the new ones arrive. */
  recheck: () => Promise<void>;
  setFilter: (filter: RowFilter) => void;
  /** Shows only the rows an import failed to send (null: every row again). */
  showFailedOf: (runId: string | null) => void;
  /** Edits a cell for this import (null takes the edit back); resolves to the row as it now reads. */
  editCell: (rowNumber: number, column: number, value: string | null) => Promise<PreviewRow | null>;
  setExcluded: (rowNumbers: number[], excluded: boolean) => Promise<boolean>;
  selectBatch: (batch: number) => Promise<void>;
  saveBatches: () => Promise<void>;
}

let listening = false;

/** The Preview step: the whole file checked under its mapping, its rows and their problems, and its exact batches. */
export const usePreview = create<PreviewStore>()((set, get) => {
  const loadResults = async (fileId: string) => {
    const preview = await call('getPreview', { fileId });
    set({ preview });
    useWizard.getState().setFacts({ previewReviewed: preview.state === 'ready' });
    if (preview.state !== 'ready') return;
    const batches = await call('listBatches', { fileId, offset: 0, limit: BATCH_PAGE });
    const first = get().summary === null;
    set((state) => ({
      summary: preview.summary,
      batches: batches.batches,
      rowsVersion: state.rowsVersion + 1,
      // On first sight, the rows that need attention; afterwards, the user's choice stays.
      filter: first && (preview.summary?.errorRows ?? 0) > 0 ? 'errors' : state.filter,
    }));
    const selected = get().selected;
    if (batches.batches.length > 0)
      await get().selectBatch(selected !== null && selected < batches.batches.length ? selected : 0);
    else set({ selected: null, batchBody: null, batchRows: [] });
  };

  const listen = () => {
    if (listening) return;
    listening = true;
    subscribe('progress', (progress) => {
      if (progress.taskId === get().taskId) set({ progress: progress.value, progressText: progress.description });
    });
    subscribe('taskFinished', (end) => {
      const { taskId, fileId, preview } = get();
      // This window's check; or, with none of its own going, any check of the file it shows as being checked:
      // another window's, which stopped this one's (else this one would say "checking" forever).
      if (end.taskId === taskId || (taskId === null && end.fileId === fileId && preview?.state === 'building'))
        ended(end);
    });
  };

  const ended = (end: { fileId: string; outcome: string; message: string | null }) => {
    set({ taskId: null });
    if (end.outcome === 'failed') set({ error: end.message });
    void loadResults(end.fileId).catch((error: unknown) => set({ error: messageOf(error) }));
  };

  return {
    fileId: null,
    preview: null,
    summary: null,
    taskId: null,
    progress: null,
    progressText: '',
    filter: 'all',
    failedOf: null,
    rowsVersion: 0,
    batches: [],
    selected: null,
    batchBody: null,
    batchRows: [],
    saved: null,
    saving: false,
    error: null,

    async open(fileId) {
      listen();
      // Another file: its check, not the last file's, is the one to wait for.
      if (get().fileId !== fileId)
        set({
          taskId: null,
          summary: null,
          batches: [],
          selected: null,
          batchBody: null,
          batchRows: [],
          filter: 'all',
          saved: null,
        });
      set({ fileId, error: null });
      try {
        const preview = await call('getPreview', { fileId });
        if (preview.state === 'ready') await loadResults(fileId);
        // A mapping error (a column gone after a re-read): nothing is checked or sent until it is fixed in Map.
        else if (preview.mappingProblems?.some((p) => p.severity === 'error')) {
          set({ preview, summary: null, batches: [], selected: null, batchBody: null, batchRows: [] });
          useWizard.getState().setFacts({ previewReviewed: false });
        } else if (preview.state === 'building' && get().taskId) set({ preview });
        else await get().recheck();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async recheck() {
      const fileId = get().fileId;
      if (!fileId) return;
      listen();
      useWizard.getState().setFacts({ previewReviewed: false });
      set({ progress: 0, progressText: 'Starting…', error: null });
      rememberTaskEnds();
      try {
        const task = await call('startPreview', { fileId });
        set({ taskId: task.taskId, preview: { state: 'building', runTimestamp: null, summary: null, problem: null } });
        // A check made while the file was read may be done before this call answers.
        const early = endedAlready(task.taskId);
        if (early) ended(early);
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    setFilter(filter) {
      set({ filter, failedOf: null });
    },

    showFailedOf(runId) {
      set({ failedOf: runId });
    },

    async editCell(rowNumber, column, value) {
      const fileId = get().fileId;
      if (!fileId) return null;
      try {
        const row = await call('editCell', { fileId, rowNumber, column, value });
        void get().recheck();
        return row;
      } catch (error) {
        set({ error: messageOf(error) });
        return null;
      }
    },

    async setExcluded(rowNumbers, excluded) {
      const fileId = get().fileId;
      if (!fileId) return false;
      try {
        await call('setRowsExcluded', { fileId, rowNumbers, excluded });
        void get().recheck();
        return true;
      } catch (error) {
        set({ error: messageOf(error) });
        return false;
      }
    },

    async selectBatch(batch) {
      const fileId = get().fileId;
      if (!fileId) return;
      set({ selected: batch });
      try {
        const { body, rows } = await call('getBatch', { fileId, batch });
        if (get().selected === batch) set({ batchBody: body, batchRows: rows });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async saveBatches() {
      const fileId = get().fileId;
      if (!fileId) return;
      set({ saved: null, saving: true });
      const answer = await currentBridge().saveBatches(fileId);
      set({ saving: false });
      if (!answer.ok) set({ saved: { tone: 'error', text: answer.error.message } });
      else if (answer.value.download)
        set({ saved: { tone: 'ok', text: 'Your browser is saving the batches as a JSON Lines file.' } });
      else if (answer.value.path)
        set({
          saved: {
            tone: 'ok',
            text: `Saved ${counted(answer.value.batches, 'batch', 'batches')} to ${answer.value.path}.`,
          },
        });
    },
  };
});
