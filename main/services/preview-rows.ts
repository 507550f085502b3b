/**
 * What the Preview shows of a check: a page of the rows a filter shows (all, errors, warnings, left out, edited, or
 * the rows an import failed to send), each as the next run reads it — edits applied — with its problems; the rows
 * with problems; the batches.
 */
import { BatchInfo, PreviewRow, Problem, RowProblems, type Mapping, type RowFilter } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { failedRowNumbers } from '../../app/journal/outcomes.ts';
import {
  batchesPage as storedBatches,
  problemRowsBetween,
  problemRowsPage,
  problemSeqsPage,
} from '../../app/journal/previews.ts';
import { buildRow } from '../../app/messages/builder.ts';
import { applyEdits, correctedRowsPage, correctionsBetween } from '../../app/messages/corrections.ts';
import { rereadProblem } from '../../app/read/fingerprint.ts';
import { findRow, readRowPage, readRowsAt } from '../../app/read/row-store.ts';
import type { StoredRow } from '../../app/read/types.ts';
import { ServiceError } from '../api/errors.ts';

/** A file as the grid shows it: its mapping and columns now, its row count, its default timestamp. */
export interface CheckedFile {
  fileId: string;
  mapping: Mapping;
  columns: string[];
  rowCount: number;
  runTimestamp: string;
}

/** A page of the rows `filter` shows (or, with `failedOf`, the rows that import failed to send), and how many. */
export function gridRows(
  db: Database,
  file: CheckedFile,
  {
    filter,
    offset,
    limit,
    failedOf,
  }: { filter: RowFilter; offset: number; limit: number; failedOf?: string | undefined },
): { rows: PreviewRow[]; total: number } {
  const { fileId } = file;
  if (failedOf) {
    // The rows an import of this file failed to send, to fix them in place and re-run them.
    // Found by their numbers: not in a file read another way since the import (they would be other rows).
    const reread = rereadProblem(db, failedOf);
    if (reread) throw new ServiceError('FAILED_PRECONDITION', reread);
    const numbers = failedRowNumbers(db, failedOf);
    const blocks = new Map<number, StoredRow[]>();
    const seqs = numbers
      .slice(offset, offset + limit)
      .map((n) => findRow(db, fileId, n, blocks)?.seq)
      .filter((seq) => seq !== undefined);
    return { rows: previewRows(db, file, readRowsAt(db, fileId, seqs)), total: numbers.length };
  }
  if (filter === 'all') {
    const rows = readRowPage(db, fileId, offset, limit);
    return { rows: previewRows(db, file, rows), total: file.rowCount };
  }
  // The check's lists (rows with errors, with warnings), or the user's own (rows left out, edited).
  const { seqs, total } =
    filter === 'errors' || filter === 'warnings'
      ? problemSeqsPage(db, fileId, { severity: filter === 'errors' ? 'error' : 'warning', offset, limit })
      : correctedRowsPage(db, fileId, { which: filter, offset, limit });
  return { rows: previewRows(db, file, readRowsAt(db, fileId, seqs)), total };
}

/**
 * Stored rows as the next run reads them: edits applied, and their problems under the file's mapping now —
 * each row's own, built afresh, and those only the whole file shows (a record repeated with other values), as of
 * the latest check.
 */
export function previewRows(db: Database, file: CheckedFile, stored: StoredRow[]): PreviewRow[] {
  const { fileId, mapping, columns } = file;
  if (stored.length === 0) return [];
  const numbers = stored.map((row) => row[0]);
  const first = Math.min(...numbers);
  const last = Math.max(...numbers);
  const { edits, excluded } = correctionsBetween(db, fileId, first, last);
  const wholeFile = new Map<number, Problem[]>();
  for (const { rowNumber: n, problems } of problemRowsBetween(db, fileId, first, last)) {
    const repeats = Problem.array()
      .parse(problems)
      .filter((p) => p.code === 'conflicting-entity');
    if (repeats.length > 0) wholeFile.set(n, repeats);
  }
  const context = { columns, runTimestamp: file.runTimestamp };
  return stored.map((storedRow) => {
    const rowNumber = storedRow[0];
    const rowEdits = edits.get(rowNumber);
    const row = applyEdits(storedRow, rowEdits);
    const left = excluded.has(rowNumber);
    const problems = left ? [] : [...buildRow(mapping, context, row).problems, ...(wholeFile.get(rowNumber) ?? [])];
    return PreviewRow.parse({
      rowNumber,
      cells: columns.map((_, i) => row[i + 1] ?? ''),
      edited: Object.fromEntries([...(rowEdits?.values() ?? [])].map((e) => [String(e.column), e.original])),
      excluded: left,
      problems,
    });
  });
}

/** A page of the current check's rows with problems, and how many there are. */
export function problemsPage(
  db: Database,
  fileId: string,
  page: { offset: number; limit: number },
): { rows: RowProblems[]; total: number } {
  const { rows, total } = problemRowsPage(db, fileId, page);
  return { rows: rows.map((row) => RowProblems.parse(row)), total };
}

/** A page of the current check's batches. */
export function batchesPage(db: Database, fileId: string, page: { offset: number; limit: number }): BatchInfo[] {
  return storedBatches(db, fileId, page).map((row) => BatchInfo.parse(row));
}
