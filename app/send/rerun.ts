/**
 * Re-running a run's failed rows: which messages a re-run sends. The rows come from the run's own file (fixed in
 * place, or under a changed mapping) or from a corrected file — typically the exported failed rows, fixed in a
 * spreadsheet — whose rows are matched to the failed ones by their `Row` column and by their IDs. A message the
 * earlier run accepted is never sent again: not by its messageId, and not when it is the same thing on the same row.
 */
import type { BuiltMessage } from '../build/builder.ts';
import { builtRows } from '../build/preview.ts';
import type { Database } from '../journal/database.ts';
import { identityOf, type RerunBasis } from '../journal/outcomes.ts';
import type { Mapping } from '../map/mapping.ts';
import { findRow } from '../read/row-store.ts';
import type { StoredRow } from '../read/types.ts';

/** `send`: it failed and is sent again; `accepted`: Vitally has it already; `not-failed`: it never failed. */
export type RerunVerdict = 'send' | 'accepted' | 'not-failed';

export interface RerunCandidate {
  /** The row of the earlier run this message stands for (its own row, or a corrected file's `Row`), if known. */
  rowNumber: number | null;
  type: string;
  identity: string;
  messageId: string;
}

/**
 * Whether a message is sent again. It must stand for a failed message — the same row and type, or (for a
 * corrected file, `byIdentity`) the same thing by its IDs — and must not be one the earlier run, any run of the
 * file, or a later re-run of the earlier run accepted (`accepted`: those runs' messageIds, the earlier run's among
 * them); nor, from a corrected file, a copy of something the earlier run accepted and never refused.
 */
export function rerunVerdict(
  basis: RerunBasis,
  accepted: ReadonlySet<string>,
  candidate: RerunCandidate,
  byIdentity: boolean,
): RerunVerdict {
  if (accepted.has(candidate.messageId) || basis.acceptedIds.has(candidate.messageId)) return 'accepted';
  const row = candidate.rowNumber;
  const { identity } = candidate;
  if (row !== null && basis.acceptedRows.has(`${row}|${identity}`)) return 'accepted';
  // A later re-run delivered it: failed no more (by ID only when that ID failed on one row, so unambiguously).
  if (basis.laterIdentities.has(identity) && (basis.failedIdentityRows.get(identity) ?? 0) <= 1) return 'accepted';
  const failedRow = row !== null && basis.failedRows.has(`${row}|${candidate.type}`);
  // A corrected file's copy of something the run delivered and never refused, under a failed row's number (a row
  // pasted in, or its Row cell edited): it is still that thing, which Vitally has.
  if (byIdentity && failedRow && basis.acceptedIdentities.has(identity) && !basis.failedIdentities.has(identity)) {
    return 'accepted';
  }
  const failedThing = byIdentity && basis.failedIdentities.has(identity);
  return failedRow || failedThing ? 'send' : 'not-failed';
}

/** Where a re-run's rows come from. */
export interface RerunSource {
  fileId: string;
  rowCount: number;
  mapping: Mapping;
  columns: readonly string[];
  runTimestamp: string;
  /** The earlier run's own file: rows are matched by their row numbers only. */
  sameFile: boolean;
  /** A corrected file's `Row` column (0-based), naming the earlier run's row of each row; null if it has none. */
  rowColumn: number | null;
}

/** What a re-run will send, said before it sends. */
export interface RerunPlan {
  messages: number;
  rows: number;
  byType: Record<string, number>;
  /** Messages of the chosen rows that Vitally has already accepted: not sent. */
  alreadyAccepted: number;
  /** Failed rows that still have errors in Preview, so they are not sent (their spreadsheet row numbers). */
  rowsWithErrors: number[];
  /** Rows of a corrected file that stand for no failed row (not sent). */
  unmatchedRows: number;
  /** Rows left out in Preview. */
  excludedRows: number;
}

export function emptyPlan(): RerunPlan {
  return {
    messages: 0,
    rows: 0,
    byType: {},
    alreadyAccepted: 0,
    rowsWithErrors: [],
    unmatchedRows: 0,
    excludedRows: 0,
  };
}

/** Above this many failed rows, the file is read through once instead of row by row. */
const ROW_BY_ROW = 2000;

/**
 * The messages a re-run sends, in file order, counted into `plan` as they go by. The same function counts the plan
 * the user is shown and makes the batches the send worker journals, so the number shown is the number sent.
 */
export function* rerunMessages(
  db: Database,
  source: RerunSource,
  basis: RerunBasis,
  accepted: ReadonlySet<string>,
  plan: RerunPlan,
): Generator<BuiltMessage> {
  const rows = new Set<number>();
  const failedRows = new Set(basis.failedRowNumbers);
  const wasFailed = (row: number | null) => row !== null && failedRows.has(row);
  for (const { row, messages, problems, excluded } of candidateRows(db, source, basis)) {
    const own = row[0];
    const earlier = source.sameFile ? own : earlierRow(row, source.rowColumn);
    const verdicts = messages.map((message) =>
      rerunVerdict(
        basis,
        accepted,
        {
          rowNumber: earlier,
          type: message.type,
          identity: identityOf(message.type, message.json),
          messageId: message.messageId,
        },
        !source.sameFile,
      ),
    );
    // Whether the row stands for a failed one.
    const failed = verdicts.some((v) => v !== 'not-failed');
    if (excluded) {
      if (wasFailed(earlier)) plan.excludedRows++;
      continue;
    }
    if (problems.some((p) => p.severity === 'error')) {
      if (failed || wasFailed(earlier)) plan.rowsWithErrors.push(own);
      else if (!source.sameFile) plan.unmatchedRows++;
      continue;
    }
    if (!failed) {
      if (!source.sameFile) plan.unmatchedRows++;
      continue;
    }
    for (const [index, message] of messages.entries()) {
      const verdict = verdicts[index];
      if (verdict === 'accepted') plan.alreadyAccepted++;
      if (verdict !== 'send') continue;
      plan.messages++;
      plan.byType[message.type] = (plan.byType[message.type] ?? 0) + 1;
      if (!rows.has(own)) {
        rows.add(own);
        plan.rows++;
      }
      yield message;
    }
  }
}

/** The row of the earlier run a corrected file's row names in its `Row` column, or null. */
function earlierRow(row: StoredRow, rowColumn: number | null): number | null {
  if (rowColumn === null) return null;
  const cell = String(row[rowColumn + 1] ?? '').trim();
  return /^\d{1,9}$/.test(cell) ? Number(cell) : null;
}

/** The rows worth building: the failed rows of the run's own file, or every row of a corrected file. */
function candidateRows(db: Database, source: RerunSource, basis: RerunBasis): ReturnType<typeof builtRows> {
  const context = { columns: source.columns, runTimestamp: source.runTimestamp };
  const every = () => builtRows(db, source.fileId, source.rowCount, source.mapping, context);
  if (!source.sameFile || basis.failedRowNumbers.length > ROW_BY_ROW) return every();
  return (function* () {
    const cache = new Map<number, StoredRow[]>();
    for (const rowNumber of basis.failedRowNumbers) {
      const found = findRow(db, source.fileId, rowNumber, cache);
      if (!found) continue;
      yield* builtRows(db, source.fileId, found.seq + 1, source.mapping, context, found.seq);
    }
  })();
}
