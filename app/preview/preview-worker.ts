/**
 * The preview worker: builds every row of a file under its mapping, off main's thread, and records problems and
 * batch boundaries in the database. Main may post `cancel`; the loop checks for it between rows.
 *
 * A check ahead (`ahead` given) is made before the user asks for it, with the mapping they are likely to keep:
 * their saved one, or the one Map will suggest from the read's first rows, worked out here, off main's thread, and
 * posted (`planned`; `skipped` when it could not be checked as it is). With `storedRows` it follows a read as it
 * stores rows. Main posts `adopt` when the user asks for a check that this one may be, with that check's mapping:
 * once every row is checked it then becomes the file's preview, or, for another mapping, says it is not that check
 * (`refused`, at once, even mid-check). Main posts `cancel` when it is not wanted.
 */
import { openDatabase } from '../journal/database.ts';
import { mappingProblems } from '../map/integrity.ts';
import { Mapping, mappingGaps, mappingKey } from '../map/mapping.ts';
import { suggestedMapping, valuesByColumn } from '../map/suggest.ts';
import { thisThread } from '../threads/threads.ts';
import { PARALLEL_FROM_ROWS, parallelCheckedRows, ReadStopped, rowsFollowingRead, rowsUpTo } from './parallel-check.ts';
import { forgetOtherChecks, makeCurrent } from '../journal/previews.ts';
import { buildPreview, type PreviewSummary } from './check.ts';

export interface PreviewWorkerInput {
  databaseFile: string;
  fileId: string;
  rowCount: number;
  columns: string[];
  /** The mapping to check under; null for a check ahead, which works out the likely one from `ahead`. */
  mapping: Mapping | null;
  runTimestamp: string;
  /** The number this check's rows are written under (see `CheckJob`). */
  generation: number;
  /** Check on helper threads from this many rows (tests set it low). */
  parallelFrom?: number;
  /** When the user asked for this check (the previews record's `created_at`); a check ahead is told on adoption. */
  requestedAt?: string;
  /** A check ahead: the file's saved mapping (if any) and the read's first rows, which Map's suggestion reads. */
  ahead?: { saved: Mapping | null; sample: string[][] };
  /** A check that follows a read: its stored-rows counter (`rowCount` is then unknown until the read ends). */
  storedRows?: SharedArrayBuffer;
}

export type PreviewWorkerMessage =
  | { type: 'progress'; rowsDone: number }
  /** A check ahead's mapping, or that it has none it could check (a gap, a blocking problem): it then ends. */
  | { type: 'planned'; mapping: Mapping }
  | { type: 'skipped' }
  /** A check ahead adopted for another mapping: main starts that check instead. */
  | { type: 'refused' }
  | { type: 'done'; summary: PreviewSummary }
  | { type: 'failed'; message: string; cancelled: boolean };

const thread = thisThread<
  PreviewWorkerInput,
  PreviewWorkerMessage,
  { type?: unknown; mapping?: unknown; requestedAt?: unknown }
>();
const { input, post } = thread;
const db = openDatabase(input.databaseFile, { durable: false });
/** For a check ahead: the mapping (`mappingKey`) of the check main adopted it for, once it has. */
const adoption = adoptions();
let mine: string | null = null;
/** Adopted for a check of another mapping than this one's. */
const adoptedElsewhere = () => adoption.for !== null && adoption.for !== mine;
try {
  const mapping = input.mapping ?? likelyMapping(input.columns, input.ahead?.saved ?? null, input.ahead?.sample ?? []);
  if (mapping) {
    mine = mappingKey(mapping);
    if (!input.mapping) post({ type: 'planned', mapping });
    await check(mapping);
  } else post({ type: 'skipped' });
} catch (error) {
  // Adopted for another mapping while it was checking: it stops at once and says so, and main starts that check.
  if (adoptedElsewhere()) post({ type: 'refused' });
  else
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

/** Checks every row under `mapping`; a check ahead then waits to be adopted. The check becomes the current one. */
async function check(mapping: Mapping): Promise<void> {
  const { storedRows } = input;
  const extent = storedRows ? { storedRows } : { rowCount: input.rowCount };
  // A check ahead starts once the read has stored rows: the corrections of an earlier read are gone by then.
  const cancelled = () => thread.cancelRequested() || adoptedElsewhere();
  if (storedRows) rowsUpTo(extent, 1, cancelled);
  const summary = buildPreview(db, {
    fileId: input.fileId,
    rowCount: input.rowCount,
    mapping,
    context: { columns: input.columns, runTimestamp: input.runTimestamp },
    generation: input.generation,
    progress: (rowsDone) => post({ type: 'progress', rowsDone }),
    cancelled,
    // A check that follows a read takes the rows as they are committed; a large file is built on every core.
    rowsOf: storedRows
      ? (context) =>
          rowsFollowingRead(db, { ...input, mapping, storedRows, context, niceness: thread.niceness, cancelled })
      : input.rowCount >= (input.parallelFrom ?? PARALLEL_FROM_ROWS)
        ? (context) => parallelCheckedRows({ ...input, mapping, extent, context, niceness: thread.niceness, cancelled })
        : undefined,
    countRows: storedRows ? () => rowsUpTo(extent, Number.POSITIVE_INFINITY).available : undefined,
    forgetOthers: !input.ahead,
  });
  if (input.ahead) {
    // Every row is checked: it waits to be adopted. Adopted for a check of another mapping (the user changed it
    // before this one had said which it is): not it.
    if ((await adoption.settled()) !== mine) return post({ type: 'refused' });
  }
  // The check becomes the one readers see, unless a newer one was started meanwhile; then older rows go.
  const requestedAt = input.requestedAt ?? adoption.requestedAt ?? '';
  const current = makeCurrent(db, { ...input, requestedAt, summary });
  if (current) forgetOtherChecks(db, input.fileId, input.generation);
  post({ type: 'done', summary });
}

/**
 * Main's `adopt` for a check ahead, with the mapping of the check it is adopted for: kept as it comes (also while
 * the check runs, which then stops at once when it is another), and awaited once every row is checked.
 */
function adoptions() {
  const state = {
    for: null as string | null,
    requestedAt: null as string | null,
    settled: (): Promise<string> => adopted,
  };
  let resolve: (mapping: string) => void = () => undefined;
  const adopted = new Promise<string>((settle) => (resolve = settle));
  if (!input.ahead) return state;
  thread.onMessage((message) => {
    if (message.type !== 'adopt' || typeof message.mapping !== 'string') return;
    state.for = message.mapping;
    state.requestedAt = typeof message.requestedAt === 'string' ? message.requestedAt : null;
    resolve(message.mapping);
  });
  const cancelled = new Promise<never>((_, reject) =>
    thread.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
  );
  cancelled.catch(() => undefined);
  state.settled = () => Promise.race([adopted, cancelled]);
  return state;
}

/** The file's saved mapping, or the one Map will suggest from the same rows; null if it cannot be checked as it is. */
function likelyMapping(columns: string[], saved: Mapping | null, sample: string[][]): Mapping | null {
  const values = valuesByColumn(columns, sample);
  const mapping = saved ?? Mapping.parse(suggestedMapping(columns, values));
  if (mappingGaps(mapping).length > 0) return null;
  if (mappingProblems(mapping, columns, values).some((problem) => problem.severity === 'error')) return null;
  return mapping;
}
