import type { Journal, RunState } from '../journal/journal.ts';
import { Sender, type SenderHooks, type SenderOptions } from './sender.ts';

export interface RunHandle {
  /** Pause, resume, cancel, or give a new token. */
  readonly sender: Sender;
  /** Resolves with the run's state when the sender stops. */
  readonly done: Promise<RunState>;
}

/**
 * Sends a journalled run's pending batches — planned ones, and those whose outcome a crash left unknown —
 * recording each batch as sending before it goes out and its outcome as soon as it is known.
 */
export function startRun(
  journal: Journal,
  runId: string,
  options: Omit<SenderOptions, 'hooks'> & { hooks?: SenderHooks },
): RunHandle {
  const hooks = options.hooks ?? {};
  const sender = new Sender({
    ...options,
    hooks: {
      ...hooks,
      onSending: (batch) => {
        journal.markSending(runId, batch.id);
        hooks.onSending?.(batch);
      },
      onOutcome: (batch, outcome) => {
        journal.markOutcome(runId, batch.id, outcome);
        hooks.onOutcome?.(batch, outcome);
      },
      onUnsettled: (batch, how) => {
        journal.markUnsettled(runId, batch.id, how === 'unknown' ? 'unknown' : 'planned');
        hooks.onUnsettled?.(batch, how);
      },
      onSplit: (batch, parts) => {
        journal.split(runId, batch, parts);
        hooks.onSplit?.(batch, parts);
      },
    },
  });
  journal.setRunState(runId, 'sending');
  const done = sender.run(journal.pendingPages(runId)).then((): RunState => {
    const counts = journal.counts(runId);
    const unfinished = counts.batches.planned + counts.batches.sending + counts.batches.unknown;
    const state: RunState = unfinished === 0 ? 'finished' : sender.cancelled ? 'cancelled' : 'paused';
    journal.setRunState(runId, state);
    return state;
  });
  return { sender, done };
}
