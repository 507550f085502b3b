import type { Database } from '../journal/database.ts';
import type { RowSink, StoredRow } from './types.ts';

/** Rows are stored in blocks of this many, as one JSON array each: one insert per block, not per row. */
export const BLOCK_ROWS = 256;
/** Blocks written per transaction. */
const BLOCKS_PER_COMMIT = 40;

/** Groups rows into blocks and hands each block on as JSON, with its index and its number of rows. */
export class BlockBuilder implements RowSink {
  readonly #onBlock: (index: number, json: string, rows: number) => void;
  #block: StoredRow[] = [];
  #index = 0;

  constructor(onBlock: (index: number, json: string, rows: number) => void) {
    this.#onBlock = onBlock;
  }

  write(row: StoredRow): void {
    this.#block.push(row);
    if (this.#block.length === BLOCK_ROWS) this.#emit();
  }

  finish(): void {
    if (this.#block.length > 0) this.#emit();
  }

  #emit(): void {
    this.#onBlock(this.#index++, JSON.stringify(this.#block), this.#block.length);
    this.#block = [];
  }
}

/**
 * Stores a file's blocks in `file_blocks`, replacing any rows it had. Commits every ~10,000 rows so a crash loses
 * at most the open transaction; `abort()` removes everything written.
 */
export class BlockStore {
  readonly #db: Database;
  readonly #fileId: string;
  readonly #insert: ReturnType<Database['prepare']>;
  readonly #onCommit: (rows: number) => void;
  #uncommitted = 0;
  #uncommittedRows = 0;
  #open = false;

  /** `onCommit` is told how many rows each commit stored. */
  constructor(db: Database, fileId: string, onCommit: (rows: number) => void = () => undefined) {
    this.#db = db;
    this.#fileId = fileId;
    this.#onCommit = onCommit;
    db.prepare('DELETE FROM file_blocks WHERE file_id = ?').run(fileId);
    // Corrections made to the old rows do not belong to the new ones.
    db.prepare('DELETE FROM row_edits WHERE file_id = ?').run(fileId);
    db.prepare('DELETE FROM row_exclusions WHERE file_id = ?').run(fileId);
    this.#insert = db.prepare('INSERT INTO file_blocks (file_id, block, rows) VALUES (?, ?, ?)');
  }

  insert(index: number, json: string, rows: number): void {
    if (!this.#open) {
      this.#db.exec('BEGIN');
      this.#open = true;
    }
    this.#insert.run(this.#fileId, index, json);
    this.#uncommittedRows += rows;
    if (++this.#uncommitted >= BLOCKS_PER_COMMIT) this.#commit();
  }

  finish(): void {
    this.#commit();
  }

  abort(): void {
    if (this.#open) this.#db.exec('ROLLBACK');
    this.#open = false;
    this.#uncommittedRows = 0;
    this.#db.prepare('DELETE FROM file_blocks WHERE file_id = ?').run(this.#fileId);
  }

  #commit(): void {
    if (this.#open) this.#db.exec('COMMIT');
    this.#open = false;
    this.#uncommitted = 0;
    if (this.#uncommittedRows > 0) this.#onCommit(this.#uncommittedRows);
    this.#uncommittedRows = 0;
  }
}

/** Rows `offset` to `offset + limit - 1` (0-based, in file order) of a stored file. */
export function readRowPage(db: Database, fileId: string, offset: number, limit: number): StoredRow[] {
  if (limit <= 0) return [];
  const first = Math.floor(offset / BLOCK_ROWS);
  const last = Math.floor((offset + limit - 1) / BLOCK_ROWS);
  const blocks = db
    .prepare('SELECT block, rows FROM file_blocks WHERE file_id = ? AND block BETWEEN ? AND ? ORDER BY block')
    .all(fileId, first, last) as { block: number; rows: string }[];
  const rows: StoredRow[] = [];
  for (const { block, rows: json } of blocks) {
    const blockRows = JSON.parse(json) as StoredRow[];
    const start = Math.max(0, offset - block * BLOCK_ROWS);
    const end = Math.min(blockRows.length, offset + limit - block * BLOCK_ROWS);
    for (let i = start; i < end; i++) rows.push(blockRows[i] as StoredRow);
  }
  return rows;
}

/** The rows at these places (0-based, in file order), each block read once; in the order asked. */
export function readRowsAt(db: Database, fileId: string, seqs: readonly number[]): StoredRow[] {
  const select = db.prepare('SELECT rows FROM file_blocks WHERE file_id = ? AND block = ?');
  const blocks = new Map<number, StoredRow[]>();
  const rows: StoredRow[] = [];
  for (const seq of seqs) {
    const index = Math.floor(seq / BLOCK_ROWS);
    let block = blocks.get(index);
    if (!block) {
      const found = select.get(fileId, index) as { rows: string } | undefined;
      block = found ? (JSON.parse(found.rows) as StoredRow[]) : [];
      blocks.set(index, block);
    }
    const row = block[seq % BLOCK_ROWS];
    if (row) rows.push(row);
  }
  return rows;
}

/**
 * The row with this spreadsheet row number, and its place among the data rows. Row numbers grow with the place
 * (rows are stored in file order), so the block holding it is found by binary search over the blocks' first rows.
 */
export function findRow(
  db: Database,
  fileId: string,
  rowNumber: number,
  /** Blocks already read, kept across calls that look up many rows. */
  cache = new Map<number, StoredRow[]>(),
): { seq: number; row: StoredRow } | null {
  const last = db.prepare('SELECT MAX(block) AS n FROM file_blocks WHERE file_id = ?').get(fileId) as
    { n: number | null } | undefined;
  const select = db.prepare('SELECT rows FROM file_blocks WHERE file_id = ? AND block = ?');
  const block = (index: number) => {
    let rows = cache.get(index);
    if (!rows) {
      rows = JSON.parse((select.get(fileId, index) as { rows: string } | undefined)?.rows ?? '[]') as StoredRow[];
      cache.set(index, rows);
    }
    return rows;
  };
  let low = 0;
  let high = last?.n ?? -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const rows = block(middle);
    const first = rows[0]?.[0] ?? Infinity;
    const final = rows.at(-1)?.[0] ?? -Infinity;
    if (rowNumber < first) high = middle - 1;
    else if (rowNumber > final) low = middle + 1;
    else {
      const at = rows.findIndex((row) => row[0] === rowNumber);
      return at === -1 ? null : { seq: middle * BLOCK_ROWS + at, row: rows[at] as StoredRow };
    }
  }
  return null;
}
