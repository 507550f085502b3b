import { create } from 'zustand';
import type { RejectedRow, RunProgress } from '../../../app/contract.ts';
import { call, messageOf, subscribe } from '../api/client.ts';
import { useWizard } from './wizard.ts';

/** Messages answered per second, and seconds left at that rate; null until there is enough to tell. */
export interface SendRate {
  perSecond: number;
  secondsLeft: number;
}

const RATE_WINDOW_MS = 15_000;

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
}

let listening = false;
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
        set({ runId });
        useWizard.getState().setFacts({ runStarted: true, runFinished: false });
        const progress = await call('getRunProgress', { runId });
        if (!get().progress) set({ progress });
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ starting: false });
      }
    },
    async resumeRun(runId) {
      listen();
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
