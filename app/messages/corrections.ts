/**
 * The user's corrections to a file's rows, made in Preview for its next run: cells edited in place and rows left
 * out. The file on disk and its stored rows never change; every build reads the rows through these corrections,
 * so the Preview, its batches and the send all see the same edited rows. A run records the corrections it was
 * built with (`runRecord`).
 */
import type { Database } from '../journal/database.ts';
import { findRow } from '../read/row-store.ts';
import type { StoredRow } from '../read/types.ts';

/** An edited cell: what the file says, and what is sent instead. */
export interface CellEdit {
  rowNumber: number;
  /** The column's place in the sheet (0-based). */
  column: number;
  value: string;
  original: string;
}

/** The corrections that touch a run of rows, for reading them as edited. */
export interface RowCorrections {
  /** Row number → column → the edit. */
  edits: Map<number, Map<number, CellEdit>>;
  excluded: Set<number>;
}

export class CorrectionError extends Error {}

/** The corrections of the rows numbered `first` to `last`. */
export function correctionsBetween(db: Database, fileId: string, first: number, last: number): RowCorrections {
  const edits = new Map<number, Map<number, CellEdit>>();
  const found = db
    .prepare(
      `SELECT row_number AS rowNumber, column_index AS "column", value, original FROM row_edits
        WHERE file_id = ? AND row_number BETWEEN ? AND ?`,
    )
    .all(fileId, first, last) as unknown as CellEdit[];
  for (const edit of found) {
    let row = edits.get(edit.rowNumber);
    if (!row) edits.set(edit.rowNumber, (row = new Map<number, CellEdit>()));
    row.set(edit.column, { ...edit });
  }
  const excluded = new Set(
    (
      db
        .prepare('SELECT row_number AS n FROM row_exclusions WHERE file_id = ? AND row_number BETWEEN ? AND ?')
        .all(fileId, first, last) as { n: number }[]
    ).map((row) => row.n),
  );
  return { edits, excluded };
}

/** The row as it will be sent: its edited cells replaced. */
export function applyEdits(row: StoredRow, edits: ReadonlyMap<number, CellEdit> | undefined): StoredRow {
  if (!edits || edits.size === 0) return row;
  const edited = [...row] as StoredRow;
  for (const [column, edit] of edits) edited[column + 1] = edit.value;
  return edited;
}

/**
 * Sets a cell's value for the next run, or (with `value` null, or the file's own value) takes the edit back.
 * Resolves to the row's place among the data rows.
 */
export function editCell(
  db: Database,
  fileId: string,
  rowNumber: number,
  column: number,
  value: string | null,
  columnCount: number,
): { seq: number } {
  if (column >= columnCount) throw new CorrectionError(`The file has no column ${column + 1}.`);
  const found = findRow(db, fileId, rowNumber);
  if (!found) throw new CorrectionError(`The file has no row ${rowNumber}.`);
  const original = found.row[column + 1] ?? '';
  transaction(db, () => {
    if (value === null || value === original) {
      db.prepare('DELETE FROM row_edits WHERE file_id = ? AND row_number = ? AND column_index = ?').run(
        fileId,
        rowNumber,
        column,
      );
    } else {
      db.prepare(
        `INSERT INTO row_edits (file_id, row_number, column_index, seq, value, original, edited_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (file_id, row_number, column_index) DO UPDATE SET value = excluded.value,
           edited_at = excluded.edited_at`,
      ).run(fileId, rowNumber, column, found.seq, value, original, new Date().toISOString());
    }
    bumpVersion(db, fileId);
  });
  return { seq: found.seq };
}

/** Leaves rows out of the next run, or takes them back in. Resolves to how many rows changed. */
export function setExcluded(db: Database, fileId: string, rowNumbers: readonly number[], excluded: boolean): number {
  let changed = 0;
  const blocks = new Map<number, StoredRow[]>();
  transaction(db, () => {
    for (const rowNumber of rowNumbers) {
      if (excluded) {
        const found = findRow(db, fileId, rowNumber, blocks);
        if (!found) throw new CorrectionError(`The file has no row ${rowNumber}.`);
        changed += Number(
          db
            .prepare('INSERT OR IGNORE INTO row_exclusions (file_id, row_number, seq) VALUES (?, ?, ?)')
            .run(fileId, rowNumber, found.seq).changes,
        );
      } else {
        changed += Number(
          db.prepare('DELETE FROM row_exclusions WHERE file_id = ? AND row_number = ?').run(fileId, rowNumber).changes,
        );
      }
    }
    if (changed > 0) bumpVersion(db, fileId);
  });
  return changed;
}

/** How many times the file's corrections have changed: a preview made at another count is out of date. */
export function correctionsVersion(db: Database, fileId: string): number {
  const row = db.prepare('SELECT edits_version AS v FROM files WHERE id = ?').get(fileId) as { v: number } | undefined;
  return row?.v ?? 0;
}

/** Counts for the Preview: rows left out, cells edited and the rows they are on. */
export function correctionCounts(
  db: Database,
  fileId: string,
): { excludedRows: number; editedCells: number; editedRows: number } {
  const edits = db
    .prepare('SELECT COUNT(*) AS cells, COUNT(DISTINCT row_number) AS rows FROM row_edits WHERE file_id = ?')
    .get(fileId) as { cells: number; rows: number };
  const excluded = db.prepare('SELECT COUNT(*) AS n FROM row_exclusions WHERE file_id = ?').get(fileId) as {
    n: number;
  };
  return { excludedRows: excluded.n, editedCells: edits.cells, editedRows: edits.rows };
}

/** Which of the user's lists of rows: those left out, or those with an edited cell. */
export type CorrectedRows = 'excluded' | 'edited';

const CORRECTED: Record<CorrectedRows, { rows: string; count: string }> = {
  excluded: {
    rows: 'SELECT seq FROM row_exclusions WHERE file_id = ? ORDER BY row_number LIMIT ? OFFSET ?',
    count: 'SELECT COUNT(*) AS n FROM row_exclusions WHERE file_id = ?',
  },
  edited: {
    rows: 'SELECT DISTINCT seq FROM row_edits WHERE file_id = ? ORDER BY seq LIMIT ? OFFSET ?',
    count: 'SELECT COUNT(DISTINCT seq) AS n FROM row_edits WHERE file_id = ?',
  },
};

/** A page of the places among the data rows (`seq`) of the rows left out or edited, in order, and how many. */
export function correctedRowsPage(
  db: Database,
  fileId: string,
  { which, offset, limit }: { which: CorrectedRows; offset: number; limit: number },
): { seqs: number[]; total: number } {
  const query = CORRECTED[which];
  const seqs = (db.prepare(query.rows).all(fileId, limit, offset) as { seq: number }[]).map((row) => row.seq);
  const total = (db.prepare(query.count).get(fileId) as { n: number }).n;
  return { seqs, total };
}

/** What a run records of the corrections it was built with. */
export function runRecord(db: Database, fileId: string): { edits: CellEdit[]; excludedRows: number[] } {
  const edits = db
    .prepare(
      `SELECT row_number AS rowNumber, column_index AS "column", value, original FROM row_edits WHERE file_id = ?
        ORDER BY row_number, column_index`,
    )
    .all(fileId) as unknown as CellEdit[];
  const excludedRows = (
    db.prepare('SELECT row_number AS n FROM row_exclusions WHERE file_id = ? ORDER BY row_number').all(fileId) as {
      n: number;
    }[]
  ).map((row) => row.n);
  return { edits: edits.map((edit) => ({ ...edit })), excludedRows };
}

function bumpVersion(db: Database, fileId: string): void {
  db.prepare('UPDATE files SET edits_version = edits_version + 1 WHERE id = ?').run(fileId);
}

function transaction(db: Database, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
