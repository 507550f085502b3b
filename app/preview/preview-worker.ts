/**
 * The preview worker: builds every row of a file under its mapping, off main's thread, and records problems and
 * batch boundaries in the database. Main may post `cancel`; the loop checks for it between rows.
 */
import { openDatabase } from '../journal/database.ts';
import type { Mapping } from '../map/mapping.ts';
import { PRIORITY, thisThread } from '../threads/threads.ts';
import { PARALLEL_FROM_ROWS, parallelCheckedRows } from './parallel-check.ts';
import { buildPreview, forgetOtherChecks, type PreviewSummary } from './check.ts';

export interface PreviewWorkerInput {
  databaseFile: string;
  fileId: string;
  rowCount: number;
  columns: string[];
  mapping: Mapping;
  runTimestamp: string;
  /** The number this check's rows are written under (see `CheckJob`). */
  generation: number;
  /** Check on helper threads from this many rows (tests set it low). */
  parallelFrom?: number;
}

export type PreviewWorkerMessage =
  | { type: 'progress'; rowsDone: number }
  | { type: 'done'; summary: PreviewSummary }
  | { type: 'failed'; message: string; cancelled: boolean };

const thread = thisThread<PreviewWorkerInput, PreviewWorkerMessage>();
const { input, post } = thread;
const db = openDatabase(input.databaseFile, { durable: false });
try {
  const summary = buildPreview(db, {
    fileId: input.fileId,
    rowCount: input.rowCount,
    mapping: input.mapping,
    context: { columns: input.columns, runTimestamp: input.runTimestamp },
    generation: input.generation,
    progress: (rowsDone) => post({ type: 'progress', rowsDone }),
    cancelled: () => thread.cancelRequested(),
    // A large file is built on every core.
    rowsOf:
      input.rowCount >= (input.parallelFrom ?? PARALLEL_FROM_ROWS)
        ? (context) => parallelCheckedRows({ ...input, context, niceness: PRIORITY.background })
        : undefined,
  });
  // The check becomes the one readers see, unless a newer one was started meanwhile; then older rows go.
  db.prepare(
    "UPDATE previews SET state = 'ready', summary = ?, generation = ? WHERE file_id = ? AND run_timestamp = ?",
  ).run(JSON.stringify(summary), input.generation, input.fileId, input.runTimestamp);
  forgetOtherChecks(db, input.fileId, input.generation);
  post({ type: 'done', summary });
} catch (error) {
  post({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    cancelled: thread.cancelRequested(),
  });
} finally {
  db.close();
  thread.close();
}
