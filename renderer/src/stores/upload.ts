import { create } from 'zustand';
import type { FileSummary, ReadSettings } from '../../../app/contract.ts';
import { call, currentBridge, messageOf, subscribe } from '../api/client.ts';
import { endedAlready, rememberTaskEnds } from '../api/task-ends.ts';
import { useWizard } from './wizard.ts';

export type UploadPhase = 'empty' | 'uploading' | 'reading' | 'ready' | 'failed';

interface UploadState {
  phase: UploadPhase;
  /** The file on screen (while reading, the one being read). */
  file: FileSummary | null;
  /** Name of the file being uploaded or read, before main knows it. */
  pendingName: string | null;
  taskId: string | null;
  /** 0–1, or null when the total is unknown. */
  progress: number | null;
  progressText: string;
  /** Why the last file could not be opened, in plain words. */
  error: string | null;
  recent: FileSummary[];
  openFile: (file: File) => Promise<void>;
  openRecent: (fileId: string) => Promise<void>;
  /** Opens the sample spreadsheet that comes with the app. */
  openSample: () => Promise<void>;
  reread: (settings: ReadSettings) => Promise<void>;
  cancel: () => Promise<void>;
  loadRecent: () => Promise<void>;
  chooseAnother: () => void;
  /** Shows a read main started by itself (File › Open… in the desktop app). */
  follow: (taskId: string, name: string) => void;
}

let listening = false;

/** The Upload step: choosing a file, reading it in main with live progress, and what was read. */
export const useUpload = create<UploadState>()((set, get) => {
  const fail = (message: string) => {
    useWizard.getState().setFacts({ fileLoaded: false });
    set({ phase: 'failed', error: message, taskId: null, progress: null });
  };

  const startTask = (taskId: string | null, fileId: string) => {
    if (taskId === null) return void showFile(fileId);
    set({ phase: 'reading', taskId, progress: 0, progressText: 'Starting…' });
    // A small file may be read before the call that started its read answers.
    const early = endedAlready(taskId);
    if (early) taskEnded(early);
  };

  const taskEnded = (end: { fileId: string; outcome: string; message: string | null }) => {
    if (end.outcome === 'failed') fail(end.message ?? 'The file could not be read.');
    else void showFile(end.fileId);
  };

  const showFile = async (fileId: string) => {
    try {
      const file = await call('getFile', { fileId });
      if (file.state === 'ready') {
        set({ phase: 'ready', file, error: null, taskId: null, pendingName: null });
        useWizard.getState().setFacts({ fileLoaded: true });
        void get().loadRecent();
      } else if (file.state === 'cancelled') {
        set({ phase: get().file?.state === 'ready' ? 'ready' : 'empty', taskId: null, pendingName: null });
      } else {
        fail(file.problem ?? `“${file.name}” could not be read.`);
      }
    } catch (error) {
      fail(messageOf(error));
    }
  };

  const listen = () => {
    if (listening) return;
    listening = true;
    subscribe('progress', (progress) => {
      if (progress.taskId !== get().taskId) return;
      set({ progress: progress.value, progressText: progress.description });
    });
    subscribe('taskFinished', (end) => {
      if (end.taskId === get().taskId) taskEnded(end);
    });
    rememberTaskEnds();
  };

  return {
    phase: 'empty',
    file: null,
    pendingName: null,
    taskId: null,
    progress: null,
    progressText: '',
    error: null,
    recent: [],

    async openFile(file) {
      listen();
      useWizard.getState().setFacts({ fileLoaded: false });
      set({ phase: 'uploading', file: null, pendingName: file.name, error: null, progress: 0, progressText: '' });
      const prepared = await currentBridge().prepareFile(file, (sent, total) =>
        set({
          progress: total > 0 ? sent / total : null,
          progressText: `${formatBytes(sent)} of ${formatBytes(total)}`,
        }),
      );
      if (!prepared.ok) return fail(prepared.error.message);
      try {
        const task = await call('loadFile', { source: prepared.value });
        startTask(task.taskId, task.fileId);
      } catch (error) {
        fail(messageOf(error));
      }
    },

    async openRecent(fileId) {
      listen();
      const name = get().recent.find((file) => file.id === fileId)?.name ?? null;
      set({ phase: 'reading', file: null, pendingName: name, error: null, progress: null, progressText: '' });
      try {
        const task = await call('openRecentFile', { fileId });
        startTask(task.taskId, task.fileId);
      } catch (error) {
        fail(messageOf(error));
      }
    },

    async openSample() {
      listen();
      useWizard.getState().setFacts({ fileLoaded: false });
      set({
        phase: 'reading',
        file: null,
        pendingName: 'contacts-sample.csv',
        error: null,
        progress: null,
        progressText: '',
      });
      try {
        const task = await call('openSample', {});
        startTask(task.taskId, task.fileId);
      } catch (error) {
        fail(messageOf(error));
      }
    },

    async reread(settings) {
      listen();
      const file = get().file;
      if (!file) return;
      // A key set to undefined is dropped, so the reader detects it again (a new sheet's header row).
      const merged = JSON.parse(JSON.stringify({ ...file.settings, ...settings })) as ReadSettings;
      set({ phase: 'reading', pendingName: file.name, error: null, progress: 0, progressText: '' });
      try {
        const task = await call('rereadFile', { fileId: file.id, settings: merged });
        startTask(task.taskId, task.fileId);
      } catch (error) {
        fail(messageOf(error));
      }
    },

    async cancel() {
      const taskId = get().taskId;
      if (taskId) await call('cancelTask', { taskId }).catch(() => undefined);
    },

    async loadRecent() {
      try {
        set({ recent: await call('listRecentFiles', { limit: 6 }) });
      } catch {
        // The recent list is a convenience; without it the step still works.
      }
    },

    follow(taskId, name) {
      listen();
      useWizard.getState().setFacts({ fileLoaded: false });
      set({ phase: 'reading', file: null, pendingName: name, error: null, taskId, progress: 0, progressText: '' });
    },

    chooseAnother() {
      useWizard.getState().setFacts({ fileLoaded: false });
      set({ phase: 'empty', file: null, error: null, taskId: null, pendingName: null });
    },
  };
});

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}
