import { create } from 'zustand';
import type { BatchInfo, PreviewState, RowProblems } from '../../../app/contract.ts';
import { call, messageOf, subscribe } from '../api/client.ts';
import { useWizard } from './wizard.ts';

const PROBLEM_PAGE = 200;
const BATCH_PAGE = 500;

interface PreviewStore {
  fileId: string | null;
  preview: PreviewState | null;
  taskId: string | null;
  progress: number | null;
  progressText: string;
  problems: RowProblems[];
  problemsTotal: number;
  batches: BatchInfo[];
  selected: number | null;
  batchBody: string | null;
  batchRows: { rowNumber: number; type: string }[];
  error: string | null;
  open: (fileId: string) => Promise<void>;
  rebuild: () => Promise<void>;
  selectBatch: (batch: number) => Promise<void>;
}

let listening = false;

/** The Preview step: the whole file checked under its mapping, its problems, and its exact batches. */
export const usePreview = create<PreviewStore>()((set, get) => {
  const loadResults = async (fileId: string) => {
    const preview = await call('getPreview', { fileId });
    set({ preview });
    useWizard.getState().setFacts({ previewReviewed: preview.state === 'ready' });
    if (preview.state !== 'ready') return;
    const [problems, batches] = await Promise.all([
      call('listProblems', { fileId, offset: 0, limit: PROBLEM_PAGE }),
      call('listBatches', { fileId, offset: 0, limit: BATCH_PAGE }),
    ]);
    set({ problems: problems.rows, problemsTotal: problems.total, batches: batches.batches });
    if (batches.batches.length > 0) await get().selectBatch(0);
  };

  const listen = () => {
    if (listening) return;
    listening = true;
    subscribe('progress', (progress) => {
      if (progress.taskId === get().taskId) set({ progress: progress.value, progressText: progress.description });
    });
    subscribe('taskFinished', (end) => {
      if (end.taskId !== get().taskId) return;
      set({ taskId: null });
      if (end.outcome === 'failed') set({ error: end.message });
      void loadResults(end.fileId).catch((error: unknown) => set({ error: messageOf(error) }));
    });
  };

  return {
    fileId: null,
    preview: null,
    taskId: null,
    progress: null,
    progressText: '',
    problems: [],
    problemsTotal: 0,
    batches: [],
    selected: null,
    batchBody: null,
    batchRows: [],
    error: null,

    async open(fileId) {
      listen();
      set({ fileId, error: null });
      try {
        const preview = await call('getPreview', { fileId });
        if (preview.state === 'ready') await loadResults(fileId);
        else if (preview.state === 'building' && get().taskId) set({ preview });
        else await get().rebuild();
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async rebuild() {
      const fileId = get().fileId;
      if (!fileId) return;
      listen();
      useWizard.getState().setFacts({ previewReviewed: false });
      set({
        problems: [],
        problemsTotal: 0,
        batches: [],
        selected: null,
        batchBody: null,
        progress: 0,
        progressText: 'Starting…',
        error: null,
      });
      try {
        const task = await call('startPreview', { fileId });
        set({ taskId: task.taskId, preview: { state: 'building', runTimestamp: null, summary: null, problem: null } });
      } catch (error) {
        set({ error: messageOf(error) });
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
  };
});
