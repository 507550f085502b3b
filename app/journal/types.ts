/**
 * The run journal's own words: a run's and a batch's states, a batch as it is planned, a run as it is made, and
 * the counts the Send screen shows. Shared by the journal that writes runs (`journal.ts`) and the read models
 * that read them (`runs.ts`, `run-batches.ts`, `run-counts.ts`, `outcomes.ts`).
 */
import type { Batch } from '../batch/batcher.ts';

/** `delivered`: every message of the batch was accepted through another run of the same file; not sent. */
export type BatchState = 'planned' | 'sending' | 'accepted' | 'rejected' | 'unknown' | 'split' | 'delivered';
export type RunState = 'planned' | 'sending' | 'paused' | 'interrupted' | 'finished' | 'cancelled';
export type RunKind = 'send' | 'trial' | 'rerun';

export interface PlannedBatch extends Batch {
  /** The spreadsheet row each message came from. */
  sourceRows: readonly number[];
  /** Its place in the run, when not simply the next one (the Preview's batch number). */
  seq?: number;
}

export interface NewRun {
  fileName: string;
  workspaceName: string;
  workspaceId?: string | null;
  baseUrl: string;
  fileId?: string | null;
  fileHash?: string;
  mapping?: unknown;
  options?: unknown;
  rows: number;
  /** A trial of the first rows, or a re-run of an earlier run's failed rows (`parentRunId`). */
  kind?: RunKind;
  parentRunId?: string | null;
}

export interface RunCounts {
  batches: Record<BatchState, number>;
  /** `pending` counts every message not yet accepted or rejected, the `unknown` ones among them. */
  messages: { accepted: number; rejected: number; pending: number; unknown: number };
}
