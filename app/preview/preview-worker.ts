/**
 * The preview worker: builds every row of a file under its mapping, off main's thread, and records problems and
 * batch boundaries in the database. Main may post `cancel`; the loop checks for it between rows.
 *
 * A check ahead (`storedRows` given) follows a read as it stores rows, with the mapping main expects the user to
 * keep, at a lower priority than the read. When it has checked every row it says so (`checked`) and waits: main
 * posts `adopt` when the user asks for a check that this one is (then it becomes the file's preview, at once), or
 * `cancel` when it is not wanted.
 */
import { openDatabase } from '../journal/database.ts';
import type { Mapping } from '../map/mapping.ts';
import { thisThread } from '../threads/threads.ts';
import { PARALLEL_FROM_ROWS, parallelCheckedRows, ReadStopped, rowsFollowingRead, rowsUpTo } from './parallel-check.ts';
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
  /** A check ahead: the read's stored-rows counter (`rowCount` is then unknown until the read ends). */
  storedRows?: SharedArrayBuffer;
}

export type PreviewWorkerMessage =
  | { type: 'progress'; rowsDone: number }
  /** A check ahead has checked every row and waits to be adopted. */
  | { type: 'checked'; summary: PreviewSummary }
  | { type: 'done'; summary: PreviewSummary }
  | { type: 'failed'; message: string; cancelled: boolean };

const thread = thisThread<PreviewWorkerInput, PreviewWorkerMessage>();
const { input, post } = thread;
const db = openDatabase(input.databaseFile, { durable: false });
try {
  const { storedRows } = input;
  const extent = storedRows ? { storedRows } : { rowCount: input.rowCount };
  // A check ahead starts once the read has stored rows: the corrections of an earlier read are gone by then.
  const cancelled = () => thread.cancelRequested();
  if (storedRows) rowsUpTo(extent, 1, cancelled);
  const summary = buildPreview(db, {
    fileId: input.fileId,
    rowCount: input.rowCount,
    mapping: input.mapping,
    context: { columns: input.columns, runTimestamp: input.runTimestamp },
    generation: input.generation,
    progress: (rowsDone) => post({ type: 'progress', rowsDone }),
    cancelled,
    // A check that follows a read takes the rows as they are committed; a large file is built on every core.
    rowsOf: storedRows
      ? (context) => rowsFollowingRead(db, { ...input, storedRows, context, niceness: thread.niceness, cancelled })
      : input.rowCount >= (input.parallelFrom ?? PARALLEL_FROM_ROWS)
        ? (context) => parallelCheckedRows({ ...input, extent, context, niceness: thread.niceness, cancelled })
        : undefined,
    countRows: storedRows ? () => rowsUpTo(extent, Number.POSITIVE_INFINITY).available : undefined,
    forgetOthers: !storedRows,
  });
  if (storedRows) {
    post({ type: 'checked', summary });
    await adopted();
  }
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
    // A check that followed a read which stopped ends as that read did: not a failure of its own.
    cancelled: thread.cancelRequested() || error instanceof ReadStopped,
  });
} finally {
  db.close();
  thread.close();
}

/** Resolves when main adopts this check ahead; rejects when it cancels it. */
async function adopted(): Promise<void> {
  if (thread.cancelRequested()) throw new Error('cancelled');
  const cancelled = new Promise<never>((_, reject) =>
    thread.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
  );
  for (;;) {
    const message = await Promise.race([thread.next(), cancelled]);
    if ((message as { type?: unknown }).type === 'adopt') return;
  }
}
