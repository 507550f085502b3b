/**
 * What a re-run will send, said before it sends: the plan counted by `rerunMessages` (`rerun.ts`) as it goes, and
 * the words for a corrected file's rows whose IDs changed.
 */
import type { BuiltMessage } from '../messages/builder.ts';
import { idsOf, type RerunBasis } from '../journal/outcomes.ts';

/** At most this many changed-ID rows and duplicates are listed in a plan (all are counted). */
export const PLAN_LISTED = 200;

/** A corrected file's row that names a failed row by its `Row` cell but carries other IDs. */
export interface ChangedIdsRow {
  /** Its own row in the corrected file, and the earlier run's row it names. */
  row: number;
  earlierRow: number;
  /** The IDs that changed, then and now (`userId 0042, accountId 00017` → `userId 42, accountId 17`). */
  from: string;
  to: string;
  /** Only leading zeros were lost (as Excel drops them from a number). */
  leadingZeros: boolean;
  /** What to tell the user. */
  text: string;
}

/** Two or more rows of a corrected file that stand for the same failed row. */
export interface DuplicateRows {
  earlierRow: number;
  rows: number[];
  /** The one sent (the only changed one, the others being the row as it was), or null: none is. */
  sentRow: number | null;
  text: string;
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
  /** Rows of a corrected file naming a failed row with other IDs (the first 200), and how many there are. */
  changedIds: ChangedIdsRow[];
  changedIdRows: number;
  /** Failed rows a corrected file has more than once (the first 200). */
  duplicates: DuplicateRows[];
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
    changedIds: [],
    changedIdRows: 0,
    duplicates: [],
  };
}

/**
 * Says a corrected file's row whose IDs are not those of the failed row its `Row` cell names (`changed`: its
 * messages that carry other IDs).
 */
export function countChanged(
  plan: RerunPlan,
  own: number,
  earlierRowNumber: number,
  changed: readonly BuiltMessage[],
  basis: RerunBasis,
): void {
  plan.changedIdRows++;
  if (plan.changedIds.length >= PLAN_LISTED) return;
  const changes = new Map<string, { from: string; to: string }>();
  for (const message of changed) {
    const then = parseIds(basis.failedRowMessages.get(`${earlierRowNumber}|${message.type}`)?.[0]?.ids ?? '');
    const now = parseIds(idsOf(message.json));
    for (const field of new Set([...then.keys(), ...now.keys()])) {
      const from = then.get(field) ?? '';
      const to = now.get(field) ?? '';
      if (from !== to && !changes.has(field)) changes.set(field, { from, to });
    }
  }
  const all = [...changes];
  const side = (pick: 'from' | 'to') => all.map(([field, c]) => `${field} ${c[pick] || '(none)'}`).join(', ');
  const leadingZeros =
    all.length > 0 && all.every(([, c]) => /^0+\d/.test(c.from) && c.from.replace(/^0+(?=\d)/, '') === c.to);
  const shown = all.map(([field, c]) => `${field} ${c.from || '(none)'} → ${c.to || '(none)'}`).join(', ');
  const lead = `Row ${own} stands for row ${earlierRowNumber} of the import, but its IDs changed (${shown})`;
  const text = leadingZeros
    ? `${lead}: their leading zeros were dropped, as Excel does with numbers when it opens a CSV and saves it. ` +
      'Type the zeros back (format the column as Text first), or send it anyway if the new IDs are right.'
    : `${lead}. It is not sent, so that a mistyped ID or a row of another import does not reach Vitally as ` +
      'something else; send it anyway if you changed the IDs on purpose.';
  plan.changedIds.push({
    row: own,
    earlierRow: earlierRowNumber,
    from: side('from'),
    to: side('to'),
    leadingZeros,
    text,
  });
}

/** `userId=0042|accountId=00017` as a map of field to value. */
function parseIds(ids: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of ids ? ids.split('|') : []) {
    const at = part.indexOf('=');
    fields.set(part.slice(0, at), part.slice(at + 1));
  }
  return fields;
}
