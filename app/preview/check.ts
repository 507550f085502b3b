/**
 * A file's preview: every row built under the mapping with the run's timestamp, the rows with problems, the
 * counts, and where each batch begins (row and message). Batches are not stored: the builder is deterministic,
 * so `batchAt` rebuilds any batch's exact bytes from its rows — the same function the sender's batches come from.
 */
import { batchBody, bodyBytesWith, emptyBatch, fits } from '../batch/batcher.ts';
import type { Database } from '../journal/database.ts';
import {
  checkWriter,
  currentGeneration,
  forgetOtherChecks,
  skippedReader,
  type BatchInfo,
  type PreviewSummary,
} from '../journal/previews.ts';
import type { Mapping } from '../map/mapping.ts';
import { BLOCK_ROWS, readRowPage, readRowsAt } from '../read/row-store.ts';
import type { StoredRow } from '../read/types.ts';
import { problem, type Problem } from '../messages/problems.ts';
import { buildRow, type BuildContext, type BuiltMessage } from '../messages/builder.ts';
import { applyEdits, correctionCounts, correctionsBetween } from '../messages/corrections.ts';

export type { BatchInfo, PreviewSummary } from '../journal/previews.ts';

/** Rows read and built at a time. */
export const CHUNK_ROWS = BLOCK_ROWS * 10;

/** A row built for the check: what `builtRows` yields. */
export type CheckRow = ReturnType<typeof builtRows> extends Generator<infer R> ? R : never;

/**
 * Walks every row of a file in order, as the user corrected it (edited cells; rows left out come with no messages
 * and `excluded`), building its messages, from the row at `from` (0-based). With `skipRepeats` (the default), messages the preview recorded as repeats of an
 * entity sent by another row are left out, exactly as the preview counted and batched them.
 */
export function* builtRows(
  db: Database,
  fileId: string,
  rowCount: number,
  mapping: Mapping,
  context: BuildContext,
  { from = 0, skipRepeats = true }: { from?: number; skipRepeats?: boolean } = {},
): Generator<{ seq: number; row: StoredRow; messages: BuiltMessage[]; problems: Problem[]; excluded: boolean }> {
  const generation = skipRepeats ? currentGeneration(db, fileId) : 0;
  const skippedIn = skippedReader(db, fileId, generation);
  for (let offset = from; offset < rowCount; offset += CHUNK_ROWS) {
    const rows = readRowPage(db, fileId, offset, Math.min(CHUNK_ROWS, rowCount - offset));
    const first = rows[0]?.[0] ?? 0;
    const last = rows.at(-1)?.[0] ?? 0;
    const skipped = new Set<string>();
    if (skipRepeats && rows.length > 0) {
      for (const { row, i } of skippedIn(first, last)) skipped.add(`${row}:${i}`);
    }
    const { edits, excluded } = correctionsBetween(db, fileId, first, last);
    for (const [index, stored] of rows.entries()) {
      const row = applyEdits(stored, edits.get(stored[0]));
      if (excluded.has(row[0])) {
        yield { seq: offset + index, row, messages: [], problems: [], excluded: true };
        continue;
      }
      const built = buildRow(mapping, context, row);
      const messages =
        skipped.size === 0 ? built.messages : built.messages.filter((_, i) => !skipped.has(`${row[0]}:${i}`));
      yield { seq: offset + index, row, messages, problems: built.problems, excluded: false };
    }
  }
}

/** What a check is asked to do. */
export interface CheckJob {
  fileId: string;
  rowCount: number;
  mapping: Mapping;
  context: BuildContext;
  /**
   * The number its rows are written under. Readers only see the generation `previews.generation` names, which
   * main moves to this one when the check is done, so a check in progress never shows, and its writes go in short
   * transactions that never hold the database for long.
   */
  generation: number;
  progress: (rowsDone: number) => void;
  cancelled: () => boolean;
  /**
   * Every row in order, built with messageIds left unmade and no repeats skipped; by default on this thread
   * (`builtRows`). The preview worker gives large files to `parallelCheckedRows` instead.
   */
  rowsOf?: (context: BuildContext) => Iterable<CheckRow>;
  /** For a check that follows a read as it goes (its `rowCount` unknown): the rows there were, once it ends. */
  countRows?: () => number;
  /**
   * Whether to remove, first, what other checks wrote (the default). A check made ahead, which runs beside others
   * and may never be used, leaves theirs alone: it forgets the others only once it is adopted.
   */
  forgetOthers?: boolean;
}

/**
 * Rows written per transaction. A transaction is committed before the next chunk of rows is asked for, so a check
 * that waits for a read's rows never holds the database the read is writing them to.
 */
const ROWS_PER_COMMIT = CHUNK_ROWS;

/** Builds the preview of a whole file into the database, reporting progress as rows go by. */
export function buildPreview(db: Database, job: CheckJob): PreviewSummary {
  const { fileId, rowCount, mapping, context, generation, progress, cancelled } = job;
  const rowsOf = job.rowsOf ?? ((check) => builtRows(db, fileId, rowCount, mapping, check, { skipRepeats: false }));
  const summary: PreviewSummary = {
    rows: rowCount,
    repeatsSkipped: 0,
    sendableRows: 0,
    ...correctionCounts(db, fileId),
    errorRows: 0,
    warningRows: 0,
    messages: 0,
    messagesByType: {},
    batches: 0,
    bytes: 0,
  };
  if (job.forgetOthers !== false) forgetOtherChecks(db, fileId, generation);
  const transaction = shortTransactions(db);
  const write = checkWriter(db, fileId, generation);
  // Sizes and problems need no messageIds: they are made when a batch is shown, saved or sent.
  const check: BuildContext = { ...context, ids: false };
  const repeats = repeatRule(db, {
    ...job,
    check,
    rowsOf,
    summary,
    skipped: (rowNumber, index) => {
      transaction.begin();
      write.skipped(rowNumber, index);
    },
  });
  const batches = batchCounter(summary, (batch) => {
    transaction.begin();
    write.batch(batch);
  });
  try {
    for (const { seq, row, messages: built, problems, excluded } of transaction.committedBetween(rowsOf(check))) {
      if (seq % 1000 === 0) {
        if (cancelled()) throw new Error('cancelled');
        progress(seq);
      }
      if (excluded) continue;
      // A row with errors sends nothing, so it takes no part in choosing which row sends an entity.
      const errors = problems.some((p) => p.severity === 'error');
      const messages = errors ? [] : repeats.kept(seq, row[0], built, problems);
      if (problems.length > 0) {
        transaction.begin();
        write.problems(row[0], seq, errors ? 'error' : 'warning', problems);
        if (errors) summary.errorRows++;
        else summary.warningRows++;
      }
      if (errors) continue;
      summary.sendableRows++;
      batches.add(seq, messages);
    }
    batches.close();
    transaction.commit();
  } catch (error) {
    transaction.rollback();
    throw error;
  }
  if (job.countRows) summary.rows = job.countRows();
  progress(summary.rows);
  return summary;
}

/**
 * The rule for entities a sheet repeats (an account on every row of its users): which row sends each — the first
 * (rules `first` and `flag`) or the last (rule `last`, found in a first pass) — and, for `flag`, a warning on a
 * repeat that says something else than the row whose values are sent.
 */
function repeatRule(
  db: Database,
  job: Pick<CheckJob, 'fileId' | 'mapping'> & {
    check: BuildContext;
    rowsOf: (context: BuildContext) => Iterable<CheckRow>;
    summary: PreviewSummary;
    skipped: (rowNumber: number, index: number) => void;
  },
) {
  const { fileId, mapping, check, summary } = job;
  const keeper = mapping.conflicts === 'last' ? lastRows(job.rowsOf(check)) : null;
  // Each entity seen: where the row that first has it is among the data rows. For the rule flag, a hash of what
  // that row says about it, made when a repeat first needs it (most entities never repeat).
  const seen = new Map<string, number>();
  const said = new Map<string, number>();
  const firstSaid = (entity: string, seq: number): number => {
    let value = said.get(entity);
    if (value === undefined) {
      const [row] = builtRows(db, fileId, seq + 1, mapping, check, { from: seq, skipRepeats: false });
      const message = row?.messages.find((m) => m.entity === entity);
      said.set(entity, (value = message ? contentHash(message) : -1));
    }
    return value;
  };
  return {
    /** The messages of the row at `seq` that it sends; the others are recorded as skipped, with any warning. */
    kept(seq: number, rowNumber: number, built: BuiltMessage[], problems: Problem[]): BuiltMessage[] {
      const messages: BuiltMessage[] = [];
      built.forEach((message, index) => {
        const entity = message.entity;
        const previous = entity === null ? undefined : seen.get(entity);
        const keep = entity === null || (keeper ? keeper.get(entity) === rowNumber : previous === undefined);
        if (entity !== null && previous === undefined) seen.set(entity, seq);
        if (keep) {
          messages.push(message);
          return;
        }
        job.skipped(rowNumber, index);
        summary.repeatsSkipped++;
        if (mapping.conflicts !== 'flag' || entity === null || previous === undefined) return;
        if (firstSaid(entity, previous) === contentHash(message)) return;
        const keptRow = readRowsAt(db, fileId, [previous])[0]?.[0] ?? null;
        const params = { entity, keptRow };
        problems.push(problem({ rowNumber, column: null, value: null, code: 'conflicting-entity', params }));
      });
      return messages;
    },
  };
}

/** Where each batch begins and what it holds, as messages go by in order (`fits` decides where one ends). */
function batchCounter(summary: PreviewSummary, closed: (batch: BatchInfo) => void) {
  let open: BatchInfo | null = null;
  const close = () => {
    if (!open) return;
    closed(open);
    summary.batches++;
    summary.bytes += open.bytes;
    open = null;
  };
  return {
    add(seq: number, messages: BuiltMessage[]): void {
      messages.forEach((message, index) => {
        const current: BatchInfo | null = open;
        if (current && !fits(current, message.bytes)) close();
        open ??= { batch: summary.batches, firstRow: seq, firstMessage: index, ...emptyBatch(), types: {} };
        open.bytes = bodyBytesWith(open, message.bytes);
        open.messages++;
        open.types[message.type] = (open.types[message.type] ?? 0) + 1;
        summary.messages++;
        summary.messagesByType[message.type] = (summary.messagesByType[message.type] ?? 0) + 1;
      });
    },
    close,
  };
}

/** Writes in short transactions, each begun at its first write and committed before the next chunk is read. */
function shortTransactions(db: Database) {
  let open = false;
  const commit = () => {
    if (open) db.exec('COMMIT');
    open = false;
  };
  return {
    begin() {
      if (!open) db.exec('BEGIN IMMEDIATE');
      open = true;
    },
    commit,
    rollback() {
      if (open) db.exec('ROLLBACK');
      open = false;
    },
    *committedBetween<R extends { seq: number }>(rows: Iterable<R>): Generator<R> {
      for (const row of rows) {
        yield row;
        if ((row.seq + 1) % ROWS_PER_COMMIT === 0) commit();
      }
    },
  };
}

/** A batch exactly as it will be sent, rebuilt from its rows, with each message's source row. */
export function batchAt(
  db: Database,
  fileId: string,
  rowCount: number,
  mapping: Mapping,
  context: BuildContext,
  info: BatchInfo,
): { body: string; messages: BuiltMessage[] } {
  const taken: BuiltMessage[] = [];
  for (const { seq, messages, problems } of builtRows(db, fileId, rowCount, mapping, context, {
    from: info.firstRow,
  })) {
    if (problems.some((p) => p.severity === 'error')) continue;
    const start = seq === info.firstRow ? info.firstMessage : 0;
    for (const message of messages.slice(start)) {
      taken.push(message);
      if (taken.length === info.messages) return { body: batchBody(taken), messages: taken };
    }
  }
  return { body: batchBody(taken), messages: taken };
}

/**
 * 53 bits of a hash of what a message says: equal for equal content, and (nearly) never otherwise. Made for every
 * entity message of the check, so it is a plain multiply-and-xor hash of the text's code units (two 32-bit lanes,
 * mixed at the end) rather than a digest: under two hundred nanoseconds where SHA-1 took microseconds. It never leaves
 * the check, so it need not be stable across versions.
 */
export function hashContent(content: string): number {
  // The length is mixed in first, so a last unit of zero is not taken for no unit at all.
  let h1 = 0xdeadbeef ^ content.length;
  let h2 = 0x41c6ce57;
  // Two code units a step: half the multiplications, the same spread.
  let i = 0;
  for (; i + 1 < content.length; i += 2) {
    const code = content.charCodeAt(i) | (content.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  if (i < content.length) {
    const code = content.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 0x100000000 * (h2 & 0x1fffff) + (h1 >>> 0);
}

function contentHash(message: BuiltMessage): number {
  return message.contentHash ?? hashContent(message.content);
}

/** For the rule "last row wins": the last row that sends each entity. */
function lastRows(rows: Iterable<CheckRow>): Map<string, number> {
  const last = new Map<string, number>();
  for (const { row, messages, problems } of rows) {
    if (problems.some((p) => p.severity === 'error')) continue;
    for (const message of messages) if (message.entity !== null) last.set(message.entity, row[0]);
  }
  return last;
}
