/**
 * Re-running a run's failed rows: which messages a re-run sends. The rows come from the run's own file (fixed in
 * place, or under a changed mapping) or from a corrected file — typically the exported failed rows, fixed in a
 * spreadsheet — whose rows are matched to the failed ones by their `Row` column and by their IDs. A message the
 * earlier run accepted is never sent again: not by its messageId, and not when it is the same thing on the same row.
 */
import type { BuiltMessage } from '../messages/builder.ts';
import { builtRows } from '../preview/check.ts';
import type { Database } from '../journal/database.ts';
import { identityOf, idsOf, type RerunBasis } from '../journal/outcomes.ts';
import type { Mapping } from '../map/mapping.ts';
import { findRow } from '../read/row-store.ts';
import type { StoredRow } from '../read/types.ts';
import { countChanged, PLAN_LISTED, type RerunPlan } from './rerun-plan.ts';

export { emptyPlan, type ChangedIdsRow, type DuplicateRows, type RerunPlan } from './rerun-plan.ts';

/**
 * `send`: it failed and is sent again; `accepted`: Vitally has it already; `not-failed`: it never failed;
 * `changed-ids`: a corrected file's row names a failed row by its `Row` cell but carries other IDs (Excel dropped
 * their leading zeros, a row of another import was pasted in, or the user fixed an ID on purpose): sent only when
 * the user says so.
 */
export type RerunVerdict = 'send' | 'accepted' | 'not-failed' | 'changed-ids';

export interface RerunCandidate {
  /** The row of the earlier run this message stands for (its own row, or a corrected file's `Row`), if known. */
  rowNumber: number | null;
  type: string;
  identity: string;
  /** Its IDs (`idsOf`); without them, a named row is taken as it is. */
  ids?: string;
  messageId: string;
}

/**
 * Whether a message is sent again. It must stand for a failed message — the same row and type, or (for a
 * corrected file, `byIdentity`) the same thing by its IDs — and must not be one the earlier run, any run of the
 * file, or a later re-run of the earlier run accepted (`accepted`: those runs' messageIds, the earlier run's among
 * them); nor, from a corrected file, a copy of something the earlier run accepted and never refused. A corrected
 * file's row naming a failed row but carrying other IDs than it (and not itself a failed thing) is `changed-ids`.
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
  if (byIdentity && failedRow && candidate.ids !== undefined) {
    const earlier = basis.failedRowMessages.get(`${row}|${candidate.type}`) ?? [];
    if (earlier.length === 0 || earlier.some((m) => m.ids === candidate.ids)) return 'send';
    // Another failed thing under a mistaken row number is still a failed thing, sent as such.
    if (failedThing && !earlier.some((m) => m.identity === identity)) return 'send';
    return 'changed-ids';
  }
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
  /** Also send a corrected file's rows that name a failed row but carry other IDs (the user said so). */
  sendChangedIds?: boolean;
}

/** Above this many failed rows, the file is read through once instead of row by row. */
const ROW_BY_ROW = 2000;

/** What a re-run makes of one row. */
interface RowJudgement {
  own: number;
  kind: 'excluded' | 'errors' | 'unmatched' | 'changed-ids' | 'send';
  /** Whether the row stands for a failed row of the earlier run (for the counts of rows excluded or with errors). */
  failed: boolean;
  verdicts: RerunVerdict[];
  /** The earlier run's failed row it stands for (a corrected file's), when that can be told. */
  standsFor: number | null;
  /** The row is a failed row as it was: every message it sends is one that failed, unchanged. */
  unchanged: boolean;
  /** The messageIds it would send, to tell copies of one fix apart from different fixes. */
  content: string;
}

/**
 * The messages a re-run sends, in file order, counted into `plan` as they go by. The same function counts the plan
 * the user is shown and makes the batches the send worker journals, so the number shown is the number sent.
 *
 * A corrected file is read twice: first to find the failed rows it has more than once (the original left in and a
 * fixed copy pasted below), which are sent once or not at all, then to send.
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
  const byIdentity = !source.sameFile;
  const sendChanged = source.sendChangedIds === true;
  // The one failed row each failed thing failed on (null: on several).
  const rowOfIdentity = new Map<string, number | null>();
  const failedIdsOfRow = new Map<number, Set<string>>();
  for (const [rowType, messages] of basis.failedRowMessages) {
    const row = Number(rowType.slice(0, rowType.indexOf('|')));
    let ids = failedIdsOfRow.get(row);
    if (!ids) failedIdsOfRow.set(row, (ids = new Set()));
    for (const m of messages) {
      ids.add(m.messageId);
      const known = rowOfIdentity.get(m.identity);
      rowOfIdentity.set(m.identity, known === undefined || known === row ? row : null);
    }
  }

  const judge = ({ row, messages, problems, excluded }: BuiltRowOf): RowJudgement => {
    const own = row[0];
    const earlier = source.sameFile ? own : earlierRow(row, source.rowColumn);
    const identities = messages.map((message) => identityOf(message.type, message.json));
    const verdicts = messages.map((message, index) =>
      rerunVerdict(
        basis,
        accepted,
        {
          rowNumber: earlier,
          type: message.type,
          identity: identities[index] ?? '',
          ...(byIdentity ? { ids: idsOf(message.json) } : {}),
          messageId: message.messageId,
        },
        byIdentity,
      ),
    );
    const failed = verdicts.some((v) => v !== 'not-failed');
    const base = { own, failed, verdicts, standsFor: null, unchanged: false, content: '' };
    if (excluded) return { ...base, kind: 'excluded' };
    if (problems.some((p) => p.severity === 'error')) return { ...base, kind: 'errors' };
    if (!failed) return { ...base, kind: 'unmatched' };
    const changed = verdicts.includes('changed-ids');
    if (changed && !sendChanged) return { ...base, kind: 'changed-ids', standsFor: earlier };
    if (!byIdentity) return { ...base, kind: 'send', standsFor: own };
    // Which failed row it stands for: the one its Row cell names, or the one its IDs failed on.
    let standsFor: number | null = null;
    const sent: string[] = [];
    let unchanged = true;
    for (const [index, verdict] of verdicts.entries()) {
      if (verdict !== 'send' && verdict !== 'changed-ids') continue;
      const message = messages[index];
      if (!message) continue;
      const named = earlier !== null && basis.failedRows.has(`${earlier}|${message.type}`);
      const stands = named ? earlier : (rowOfIdentity.get(identities[index] ?? '') ?? null);
      standsFor ??= stands;
      sent.push(message.messageId);
      if (stands === null || !failedIdsOfRow.get(stands)?.has(message.messageId)) unchanged = false;
    }
    return { ...base, kind: 'send', standsFor, unchanged, content: sent.sort().join(' ') };
  };

  // First pass (a corrected file only): the failed rows it has more than once, and which of their copies go.
  const leftOut = byIdentity ? duplicatesOf(candidateRows(db, source, basis), judge, plan) : new Set<number>();

  for (const built of candidateRows(db, source, basis)) {
    const { messages } = built;
    const j = judge(built);
    const earlier = source.sameFile ? j.own : earlierRow(built.row, source.rowColumn);
    switch (j.kind) {
      case 'excluded':
        if (wasFailed(earlier)) plan.excludedRows++;
        continue;
      case 'errors':
        if (j.failed || wasFailed(earlier)) plan.rowsWithErrors.push(j.own);
        else if (byIdentity) plan.unmatchedRows++;
        continue;
      case 'unmatched':
        if (byIdentity) plan.unmatchedRows++;
        continue;
      case 'changed-ids':
        countChanged(plan, j.own, earlier ?? 0, changedOf(messages, j.verdicts), basis);
        continue;
      case 'send':
        break;
    }
    if (leftOut.has(j.own)) continue;
    if (j.verdicts.includes('changed-ids')) {
      countChanged(plan, j.own, earlier ?? 0, changedOf(messages, j.verdicts), basis);
    }
    for (const [index, message] of messages.entries()) {
      const verdict = j.verdicts[index];
      if (verdict === 'accepted') plan.alreadyAccepted++;
      if (verdict !== 'send' && verdict !== 'changed-ids') continue;
      plan.messages++;
      plan.byType[message.type] = (plan.byType[message.type] ?? 0) + 1;
      if (!rows.has(j.own)) {
        rows.add(j.own);
        plan.rows++;
      }
      yield message;
    }
  }
}

/** The messages of a row judged `changed-ids`. */
const changedOf = (messages: readonly BuiltMessage[], verdicts: readonly RerunVerdict[]) =>
  messages.filter((_, index) => verdicts[index] === 'changed-ids');

type BuiltRowOf = ReturnType<typeof builtRows> extends Iterable<infer R> ? R : never;

const list = (rows: readonly number[]) =>
  rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;

/**
 * The rows of a corrected file that are left out because they stand for a failed row another row stands for too,
 * said in `plan.duplicates`. When exactly one fix is among them (the others being the failed row as it was, or the
 * same fix again), that one is sent; when they differ, none is: the user keeps one.
 */
function duplicatesOf(
  built: Iterable<BuiltRowOf>,
  judge: (row: BuiltRowOf) => RowJudgement,
  plan: RerunPlan,
): Set<number> {
  const groups = new Map<number, RowJudgement[]>();
  for (const row of built) {
    const j = judge(row);
    if (j.kind !== 'send' || j.standsFor === null) continue;
    let group = groups.get(j.standsFor);
    if (!group) groups.set(j.standsFor, (group = []));
    group.push(j);
  }
  const leftOut = new Set<number>();
  for (const [earlierRow, group] of [...groups].sort(([a], [b]) => a - b)) {
    if (group.length < 2) continue;
    const own = group.map((j) => j.own);
    const fixes = group.filter((j) => !j.unchanged);
    const kept = fixes.length === 0 ? group[0] : new Set(fixes.map((j) => j.content)).size === 1 ? fixes[0] : null;
    for (const j of group) if (j !== kept) leftOut.add(j.own);
    const both = `${own.length === 2 ? 'Both' : 'All'} ${list(own)} stand for row ${earlierRow} of the import`;
    let text: string;
    if (!kept) {
      text =
        `${both}, with different changes, so none of them is sent: keep the one that is right and delete the ` +
        `${own.length === 2 ? 'other' : 'others'}.`;
    } else if (fixes.length === 0) {
      text = `${both}, unchanged: it is sent once, from row ${kept.own}.`;
    } else {
      const others = own.filter((r) => r !== kept.own);
      const asItWas = group.filter((j) => j !== kept).every((j) => j.unchanged);
      text =
        `${both}: row ${kept.own}, the corrected one, is sent; ${list(others)} ${others.length === 1 ? 'is' : 'are'} ` +
        `${asItWas ? 'the row as it was' : 'the same correction again'}, left out.`;
    }
    if (plan.duplicates.length < PLAN_LISTED)
      plan.duplicates.push({ earlierRow, rows: own, sentRow: kept?.own ?? null, text });
  }
  return leftOut;
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
      yield* builtRows(db, source.fileId, found.seq + 1, source.mapping, context, { from: found.seq });
    }
  })();
}
