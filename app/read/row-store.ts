import type { Database } from '../journal/database.ts';
import type { RowSink, StoredRow } from './types.ts';

/** Rows are stored in blocks of this many, as one JSON array each: one insert per block, not per row. */
export const BLOCK_ROWS = 256;
/** Blocks written per transaction. */
const BLOCKS_PER_COMMIT = 40;

/**
 * Writes a file's rows into `file_blocks`, replacing any rows it had. Commits every ~10,000 rows so readers see
 * progress and a crash loses at most the open transaction; `abort()` removes everything written.
 */
export class BlockWriter implements RowSink {
  readonly #db: Database;
  readonly #fileId: string;
  readonly #insert: ReturnType<Database['prepare']>;
  #block: StoredRow[] = [];
  #blockIndex = 0;
  #uncommitted = 0;
  #open = false;

  constructor(db: Database, fileId: string) {
    this.#db = db;
    this.#fileId = fileId;
    db.prepare('DELETE FROM file_blocks WHERE file_id = ?').run(fileId);
    this.#insert = db.prepare('INSERT INTO file_blocks (file_id, block, rows) VALUES (?, ?, ?)');
  }

  write(row: StoredRow): void {
    this.#block.push(row);
    if (this.#block.length === BLOCK_ROWS) this.#flush();
  }

  finish(): void {
    if (this.#block.length > 0) this.#flush();
    this.#commit();
  }

  abort(): void {
    if (this.#open) this.#db.exec('ROLLBACK');
    this.#open = false;
    this.#db.prepare('DELETE FROM file_blocks WHERE file_id = ?').run(this.#fileId);
  }

  #flush(): void {
    if (!this.#open) {
      this.#db.exec('BEGIN');
      this.#open = true;
    }
    this.#insert.run(this.#fileId, this.#blockIndex++, JSON.stringify(this.#block));
    this.#block = [];
    if (++this.#uncommitted >= BLOCKS_PER_COMMIT) this.#commit();
  }

  #commit(): void {
    if (this.#open) this.#db.exec('COMMIT');
    this.#open = false;
    this.#uncommitted = 0;
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
