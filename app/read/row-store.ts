import type { Database } from '../journal/database.ts';
import type { RowSink, StoredRow } from './types.ts';

/** Rows are stored in blocks of this many, as one JSON array each: one insert per block, not per row. */
export const BLOCK_ROWS = 256;
/** Blocks written per transaction. */
const BLOCKS_PER_COMMIT = 40;

/**
 * How a block is written: a JSON array with each row on a line of its own (`[\n` row `,\n` row … `\n]`), so a
 * reader can take its rows line by line from the stored bytes. A row's JSON never holds a raw line break (JSON
 * escapes it). Blocks stored before had no line breaks (`[[…],[…]]`) and are read whole.
 *
 * Blocks go to the database as UTF-8 bytes, never as one JavaScript string: a block's text is often over V8's
 * large-object size (128 KB), and every such string is memory mapped for itself and unmapped by the next
 * collection, whose page faults made the load and the check spend more time in the kernel than in parsing.
 */
const OPEN = Buffer.from('[\n');
const BETWEEN = Buffer.from(',\n');
const CLOSE = Buffer.from('\n]');
const NEWLINE = 0x0a;
const COMMA = 0x2c;

/** A block's bytes, in a buffer of its own that the writing thread may be given and hand back. */
export interface BlockBytes {
  buffer: ArrayBuffer;
  length: number;
}

/**
 * Groups rows into blocks and hands each block on as UTF-8 bytes, with its index and its number of rows. Buffers
 * handed back with `reuse` are written into again, so a load allocates a few dozen of them, not one per block.
 */
export class BlockBuilder implements RowSink {
  readonly #onBlock: (index: number, block: BlockBytes, rows: number) => void;
  readonly #spare: ArrayBuffer[] = [];
  #buffer: Buffer | null = null;
  #length = 0;
  #rows = 0;
  #index = 0;

  constructor(onBlock: (index: number, block: BlockBytes, rows: number) => void) {
    this.#onBlock = onBlock;
  }

  write(row: StoredRow): void {
    const json = JSON.stringify(row);
    // UTF-8 takes at most three bytes per UTF-16 unit; a long row (a huge cell) is measured instead.
    const bytes = json.length > LONG_ROW ? Buffer.byteLength(json) : json.length * 3;
    const buffer = this.#room(bytes + BETWEEN.length + CLOSE.length);
    const separator = this.#rows === 0 ? OPEN : BETWEEN;
    this.#length += separator.copy(buffer, this.#length);
    this.#length += buffer.write(json, this.#length, 'utf8');
    if (++this.#rows === BLOCK_ROWS) this.#emit();
  }

  finish(): void {
    if (this.#rows > 0) this.#emit();
  }

  /** A buffer given with a block, back from the thread that stored it. */
  reuse(buffer: ArrayBuffer): void {
    if (this.#spare.length < 8) this.#spare.push(buffer);
  }

  /** The block's buffer with `bytes` more free: a spare one, or a larger one with what the block has so far. */
  #room(bytes: number): Buffer {
    const needed = this.#length + bytes;
    let buffer = this.#buffer;
    if (buffer && buffer.length >= needed) return buffer;
    const spare = this.#spare.pop();
    const grown =
      spare && spare.byteLength >= needed
        ? Buffer.from(spare)
        : Buffer.from(new ArrayBuffer(needed > LONG_ROW ? needed : Math.max(needed * 2, INITIAL_BLOCK_BYTES)));
    if (buffer) buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = buffer = grown;
    return buffer;
  }

  #emit(): void {
    const buffer = this.#buffer as Buffer;
    this.#length += CLOSE.copy(buffer, this.#length);
    this.#onBlock(this.#index++, { buffer: buffer.buffer as ArrayBuffer, length: this.#length }, this.#rows);
    this.#buffer = null;
    this.#length = 0;
    this.#rows = 0;
  }
}

/** A new block buffer's size: enough for 256 rows of about 1 KB. */
const INITIAL_BLOCK_BYTES = 256 * 1024;
/** Past this many characters a row's bytes are counted, and a block grown to fit it is made no larger. */
const LONG_ROW = 1024 * 1024;

/** A block's rows, from its stored bytes: line by line, or (a block stored before lines) whole. */
export function blockRows(bytes: Uint8Array): StoredRow[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[1] !== NEWLINE) return JSON.parse(buffer.toString('utf8')) as StoredRow[];
  const rows: StoredRow[] = [];
  // Each line after the first `[` is a row, followed by `,` but for the last; the closing `]` is on its own line.
  const end = buffer.length - CLOSE.length;
  let start = OPEN.length;
  while (start <= end) {
    let stop = buffer.indexOf(NEWLINE, start);
    if (stop === -1 || stop > end) stop = end;
    const lineEnd = buffer[stop - 1] === COMMA ? stop - 1 : stop;
    rows.push(JSON.parse(buffer.toString('utf8', start, lineEnd)) as StoredRow);
    start = stop + 1;
  }
  return rows;
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
    this.#insert = db.prepare('INSERT INTO file_blocks (file_id, block, rows) VALUES (?, ?, CAST(? AS TEXT))');
  }

  insert(index: number, bytes: Uint8Array, rows: number): void {
    if (!this.#open) {
      this.#db.exec('BEGIN');
      this.#open = true;
    }
    this.#insert.run(this.#fileId, index, bytes);
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

/** A block's text as its UTF-8 bytes (see `blockRows`). */
const AS_BYTES = 'CAST(rows AS BLOB) AS rows';

/** Rows `offset` to `offset + limit - 1` (0-based, in file order) of a stored file. */
export function readRowPage(db: Database, fileId: string, offset: number, limit: number): StoredRow[] {
  if (limit <= 0) return [];
  const first = Math.floor(offset / BLOCK_ROWS);
  const last = Math.floor((offset + limit - 1) / BLOCK_ROWS);
  const blocks = db
    .prepare(`SELECT block, ${AS_BYTES} FROM file_blocks WHERE file_id = ? AND block BETWEEN ? AND ? ORDER BY block`)
    .all(fileId, first, last) as { block: number; rows: Uint8Array }[];
  const rows: StoredRow[] = [];
  for (const { block, rows: bytes } of blocks) {
    const stored = blockRows(bytes);
    const start = Math.max(0, offset - block * BLOCK_ROWS);
    const end = Math.min(stored.length, offset + limit - block * BLOCK_ROWS);
    for (let i = start; i < end; i++) rows.push(stored[i] as StoredRow);
  }
  return rows;
}

/** The rows at these places (0-based, in file order), each block read once; in the order asked. */
export function readRowsAt(db: Database, fileId: string, seqs: readonly number[]): StoredRow[] {
  const select = db.prepare(`SELECT ${AS_BYTES} FROM file_blocks WHERE file_id = ? AND block = ?`);
  const blocks = new Map<number, StoredRow[]>();
  const rows: StoredRow[] = [];
  for (const seq of seqs) {
    const index = Math.floor(seq / BLOCK_ROWS);
    let block = blocks.get(index);
    if (!block) {
      const found = select.get(fileId, index) as { rows: Uint8Array } | undefined;
      block = found ? blockRows(found.rows) : [];
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
  const select = db.prepare(`SELECT ${AS_BYTES} FROM file_blocks WHERE file_id = ? AND block = ?`);
  const block = (index: number) => {
    let rows = cache.get(index);
    if (!rows) {
      const found = select.get(fileId, index) as { rows: Uint8Array } | undefined;
      rows = found ? blockRows(found.rows) : [];
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
