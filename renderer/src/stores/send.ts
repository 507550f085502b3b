import { create } from 'zustand';
import type { RejectedRow, RerunPlan, RunProgress, RunState } from '../../../app/contract.ts';
import { call, messageOf, subscribe } from '../api/client.ts';
import { useWizard } from './wizard.ts';

/** Messages answered per second, and seconds left at that rate; null until there is enough to tell. */
export interface SendRate {
  perSecond: number;
  secondsLeft: number;
}

const RATE_WINDOW_MS = 15_000;
/** The run this tab shows, kept across a reload of the page. */
const RUN_KEY = 'vitally-send-run';

/**
 * A re-run being prepared: an earlier import's failed rows, fixed in place (`fileId` its own file) or in a
 * corrected file (`fromFile`, whose id is set once it is loaded), then sent from the Send step.
 */
export interface RerunTarget {
  runId: string;
  /** The earlier import's file, and when the import was made (for the screens to say which one). */
  parentFileId: string | null;
  parentFileName: string;
  parentCreatedAt: string;
  /** A corrected file is chosen in Upload. */
  fromFile: boolean;
  /** The corrected file, once loaded. */
  fileId: string | null;
  includeUnknown: boolean;
  /** Also a corrected file's rows that name a failed row but carry other IDs (the user ticked it). */
  sendChangedIds?: boolean;
  /** What adopting the corrected file said (its mapping, apostrophes taken back). */
  note: string | null;
}

interface SendStore {
  runId: string | null;
  /** The current rate, measured over the last seconds of answers. */
  rate: SendRate | null;
  trial: boolean;
  progress: RunProgress | null;
  rejected: RejectedRow[];
  error: string | null;
  starting: boolean;
  start: (fileId: string, trialRows?: number) => Promise<void>;
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  cancel: () => Promise<void>;
  /** After Vitally refused the token: keeps a new one and goes on. Resolves to whether it was taken. */
  replaceToken: (token: string) => Promise<boolean>;
  loadRejected: () => Promise<void>;
  /** Resumes an interrupted or paused import from History. */
  resumeRun: (runId: string) => Promise<void>;
  /** Shows an import that is being sent already (after a reload, or from another tab). */
  follow: (runId: string) => Promise<void>;
  /** After a reload: comes back to the import this tab was showing, if it is still being sent. */
  restore: () => Promise<void>;
  rerun: RerunTarget | null;
  plan: RerunPlan | null;
  planning: boolean;
  /** Prepares a re-run of an import's failed rows; the Send step then says how many will be sent. */
  prepareRerun: (target: Omit<RerunTarget, 'fileId' | 'note'>) => void;
  /** A corrected file was loaded for the re-run being prepared. */
  adoptFile: (fileId: string) => Promise<void>;
  setIncludeUnknown: (include: boolean) => void;
  setSendChangedIds: (send: boolean) => void;
  loadPlan: () => Promise<void>;
  startRerun: () => Promise<void>;
  cancelRerun: () => void;
}

let listening = false;

function remember(runId: string): void {
  try {
    sessionStorage.setItem(RUN_KEY, runId);
  } catch {
    // Storage switched off: a reload then offers the import in the banner instead.
  }
}

function remembered(): string | null {
  try {
    return sessionStorage.getItem(RUN_KEY);
  } catch {
    return null;
  }
}
let samples: { at: number; done: number }[] = [];

/** The Send and Results steps: the current run, its live progress, and what Vitally refused. */
export const useSend = create<SendStore>()((set, get) => {
  const listen = () => {
    if (listening) return;
    listening = true;
    subscribe('runProgress', (progress) => {
      if (progress.runId !== get().runId) return;
      const now = Date.now();
      samples = [
        ...samples.filter((sample) => now - sample.at <= RATE_WINDOW_MS),
        { at: now, done: progress.accepted + progress.rejected },
      ];
      const first = samples[0];
      const elapsed = first ? (now - first.at) / 1000 : 0;
      const perSecond = first && elapsed >= 1 ? (progress.accepted + progress.rejected - first.done) / elapsed : 0;
      const rate =
        progress.state === 'sending' && perSecond > 0 ? { perSecond, secondsLeft: progress.pending / perSecond } : null;
      set({ progress, rate });
      const finished = progress.state === 'finished';
      useWizard.getState().setFacts({ runStarted: true, runFinished: finished && !get().trial });
      if (finished || progress.state === 'cancelled') void get().loadRejected();
    });
  };
  /** A run main has just started: remembered (for a reload), shown, and its first progress asked for. */
  const started = async (runId: string, also: Partial<SendStore> = {}) => {
    remember(runId);
    set({ ...also, runId });
    useWizard.getState().setFacts({ runStarted: true, runFinished: false });
    const progress = await call('getRunProgress', { runId });
    if (!get().progress) set({ progress });
  };
  const command = async (name: 'pauseSend' | 'resumeSend' | 'cancelSend') => {
    const runId = get().runId;
    if (!runId) return;
    try {
      const { ok } = await call(name, { runId });
      // A paused run whose sender has ended (the app was restarted) is resumed by a new one.
      if (!ok && name === 'resumeSend') await call('resumeRun', { runId });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  };

  return {
    runId: null,
    rate: null,
    trial: false,
    progress: null,
    rejected: [],
    error: null,
    starting: false,

    async start(fileId, trialRows) {
      listen();
      samples = [];
      set({ starting: true, error: null, progress: null, rate: null, rejected: [], trial: trialRows !== undefined });
      try {
        const { runId } = await call('startSend', trialRows === undefined ? { fileId } : { fileId, trialRows });
        await started(runId);
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ starting: false });
      }
    },
    async resumeRun(runId) {
      listen();
      remember(runId);
      samples = [];
      set({ runId, trial: false, progress: null, rate: null, rejected: [], error: null });
      try {
        await call('resumeRun', { runId });
        useWizard.getState().setFacts({ runStarted: true, runFinished: false });
        const progress = await call('getRunProgress', { runId });
        if (!get().progress) set({ progress });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    async follow(runId) {
      listen();
      remember(runId);
      samples = [];
      set({ runId, trial: false, progress: null, rate: null, rejected: [], error: null });
      useWizard.getState().setFacts({ runStarted: true, runFinished: false });
      try {
        const progress = await call('getRunProgress', { runId });
        if (!get().progress) set({ progress });
        useWizard.getState().setFacts({ runFinished: progress.state === 'finished' });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    async restore() {
      const runId = remembered();
      if (!runId || get().runId) return;
      try {
        const progress = await call('getRunProgress', { runId });
        if (progress.state !== 'sending' && progress.state !== 'paused') return;
        await get().follow(runId);
        useWizard.getState().goTo('send');
      } catch {
        // The import is gone: nothing to come back to.
      }
    },

    rerun: null,
    plan: null,
    planning: false,

    prepareRerun(target) {
      set({ rerun: { ...target, fileId: target.fromFile ? null : target.parentFileId, note: null }, plan: null });
    },

    async adoptFile(fileId) {
      const rerun = get().rerun;
      if (!rerun?.fromFile || rerun.fileId === fileId || fileId === rerun.parentFileId) return;
      try {
        const adopted = await call('adoptRerunFile', { runId: rerun.runId, fileId });
        set({ rerun: { ...rerun, fileId, note: adopted.message }, plan: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    setIncludeUnknown(include) {
      const rerun = get().rerun;
      if (rerun) set({ rerun: { ...rerun, includeUnknown: include }, plan: null });
      void get().loadPlan();
    },

    setSendChangedIds(send) {
      const rerun = get().rerun;
      if (rerun) set({ rerun: { ...rerun, sendChangedIds: send }, plan: null });
      void get().loadPlan();
    },

    async loadPlan() {
      const rerun = get().rerun;
      if (!rerun) return;
      set({ planning: true });
      try {
        const plan = await call('planRerun', {
          runId: rerun.runId,
          ...(rerun.fromFile && rerun.fileId ? { fileId: rerun.fileId } : {}),
          includeUnknown: rerun.includeUnknown,
          ...(rerun.sendChangedIds ? { sendChangedIds: true } : {}),
        });
        if (get().rerun === rerun) set({ plan });
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ planning: false });
      }
    },

    async startRerun() {
      const rerun = get().rerun;
      if (!rerun) return;
      listen();
      samples = [];
      set({ starting: true, error: null, progress: null, rate: null, rejected: [], trial: false });
      try {
        const { runId } = await call('startRerun', {
          runId: rerun.runId,
          ...(rerun.fromFile && rerun.fileId ? { fileId: rerun.fileId } : {}),
          includeUnknown: rerun.includeUnknown,
          ...(rerun.sendChangedIds ? { sendChangedIds: true } : {}),
        });
        await started(runId, { rerun: null, plan: null });
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ starting: false });
      }
    },

    cancelRerun() {
      set({ rerun: null, plan: null });
    },

    pause: () => command('pauseSend'),
    resume: () => command('resumeSend'),
    cancel: () => command('cancelSend'),
    async replaceToken(token) {
      const runId = get().runId;
      if (!runId) return false;
      try {
        await call('replaceRunToken', { runId, token });
        set({ error: null });
        return true;
      } catch (error) {
        set({ error: messageOf(error) });
        return false;
      }
    },
    async loadRejected() {
      const runId = get().runId;
      if (!runId) return;
      try {
        set({ rejected: await call('listRejected', { runId }) });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
  };
});

/** Follows an import being sent and opens the Send step on it. */
export function showSending(runId: string): void {
  void useSend.getState().follow(runId);
  useWizard.getState().goTo('send');
}

/** Resumes an import that stopped and opens the Send step on it. */
export function resumeAndShow(runId: string): void {
  void useSend.getState().resumeRun(runId);
  useWizard.getState().goTo('send');
}

/** Whether an import can be resumed: it is not being sent, and it stopped (closed, paused, cancelled) before its end. */
export function canResume(run: { live: boolean; state: RunState }): boolean {
  return !run.live && (run.state === 'interrupted' || run.state === 'paused' || run.state === 'cancelled');
}
