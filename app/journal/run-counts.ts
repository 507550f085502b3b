/**
 * A run's counts per batch state, as the Send screen shows them: read from the counts the database keeps with each
 * change of a batch (`run_state_counts`, migration 13), or found the slow way from every batch's JSON, which the
 * kept counts must always equal.
 */
import type { Database } from './database.ts';
import type { BatchState, RunCounts } from './types.ts';

/** The kept counts: a read of at most seven rows, however many batches the run has. */
export function runCounts(db: Database, runId: string): RunCounts {
  const rows = db
    .prepare('SELECT state, batches AS n, messages AS m FROM run_state_counts WHERE run_id = ?')
    .all(runId) as { state: BatchState; n: number; m: number }[];
  return countsOf(rows);
}

/** The same counts found from every batch's JSON (the tests check it after every kind of send). */
export function recountRun(db: Database, runId: string): RunCounts {
  const rows = db
    .prepare(
      'SELECT state, COUNT(*) AS n, SUM(json_array_length(messages)) AS m FROM run_batches WHERE run_id = ? GROUP BY state',
    )
    .all(runId) as { state: BatchState; n: number; m: number }[];
  return countsOf(rows);
}

/** Counts per batch state (batches `n`, messages `m`) as the Send screen shows them. */
function countsOf(rows: readonly { state: BatchState; n: number; m: number }[]): RunCounts {
  const batches: Record<BatchState, number> = {
    planned: 0,
    sending: 0,
    accepted: 0,
    rejected: 0,
    unknown: 0,
    split: 0,
    delivered: 0,
  };
  const messages = { accepted: 0, rejected: 0, pending: 0, unknown: 0 };
  for (const { state, n, m } of rows) {
    batches[state] = n;
    if (state === 'accepted' || state === 'rejected') messages[state] += m;
    else if (state !== 'split' && state !== 'delivered') messages.pending += m;
    if (state === 'unknown') messages.unknown += m;
  }
  return { batches, messages };
}
