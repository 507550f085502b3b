import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../app/journal/database.ts';
import {
  BLOCK_ROWS,
  BlockBuilder,
  BlockStore,
  blockRows,
  findRow,
  readRowPage,
  readRowsAt,
  type BlockBytes,
} from '../../../app/read/row-store.ts';
import type { StoredRow } from '../../../app/read/types.ts';

/** Cells a block's line-by-line format must carry exactly: line breaks, separators, quotes, odd code points. */
const AWKWARD = [
  '',
  'plain',
  'two\nlines',
  'cr\r\nlf',
  'a, b',
  '"quoted"',
  '[\n]',
  ',\n',
  'back\\slash',
  'line\u2028separator\u2029',
  'Zoë 東京 🎉',
  '\uD800 lone surrogate',
  '\u0000 nul',
  'x'.repeat(300_000),
];

function rowsOf(count: number, from = 2): StoredRow[] {
  return Array.from({ length: count }, (_, i) => [from + i, AWKWARD[i % AWKWARD.length] ?? '', `cell ${i}`]);
}

/** The blocks a builder makes of `rows`, as the bytes the writer is given. */
function build(rows: StoredRow[]): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const builder = new BlockBuilder((_, { buffer, length }: BlockBytes) => {
    blocks.push(new Uint8Array(buffer, 0, length).slice());
    // The writer hands each buffer back; the next block is written into it.
    builder.reuse(buffer);
  });
  for (const row of rows) builder.write(row);
  builder.finish();
  return blocks;
}

/** JSON's reading of a row: a lone surrogate comes back as itself, as JSON.stringify escapes it. */
const asJson = (rows: StoredRow[]) => JSON.parse(JSON.stringify(rows)) as StoredRow[];

describe('stored rows: blocks written as bytes, a row per line', () => {
  it('gives back every row exactly, whatever its cells hold, in blocks of BLOCK_ROWS', () => {
    const rows = rowsOf(BLOCK_ROWS * 2 + 17);
    const blocks = build(rows);
    expect(blocks).toHaveLength(3);
    // Each block is still one JSON array, so nothing that reads it whole is wrong.
    for (const block of blocks) expect(JSON.parse(Buffer.from(block).toString('utf8'))).toEqual(blockRows(block));
    expect(blocks.flatMap(blockRows)).toEqual(asJson(rows));
  });

  it('reads a block of one row, and a block of one very long row', () => {
    expect(build(rowsOf(1)).flatMap(blockRows)).toEqual(asJson(rowsOf(1)));
    const long: StoredRow[] = [[2, 'é'.repeat(2_000_000)]];
    expect(build(long).flatMap(blockRows)).toEqual(long);
  });

  it('reads blocks stored before rows had lines of their own', () => {
    const rows = rowsOf(40);
    expect(blockRows(Buffer.from(JSON.stringify(rows)))).toEqual(asJson(rows));
  });

  it('stores and finds rows through the database, old and new blocks side by side', () => {
    const db = openDatabase(':memory:');
    db.exec('PRAGMA foreign_keys = OFF');
    const rows = rowsOf(BLOCK_ROWS * 3, 2);
    const store = new BlockStore(db, 'f');
    build(rows).forEach((bytes, index) => store.insert(index, bytes, BLOCK_ROWS));
    store.finish();
    // A block as an earlier version wrote it: the same rows, as one line of JSON text.
    db.prepare('UPDATE file_blocks SET rows = ? WHERE file_id = ? AND block = 1').run(
      JSON.stringify(rows.slice(BLOCK_ROWS, BLOCK_ROWS * 2)),
      'f',
    );
    const expected = asJson(rows);
    expect(readRowPage(db, 'f', 0, rows.length)).toEqual(expected);
    expect(readRowPage(db, 'f', BLOCK_ROWS - 3, 6)).toEqual(expected.slice(BLOCK_ROWS - 3, BLOCK_ROWS + 3));
    expect(readRowsAt(db, 'f', [BLOCK_ROWS * 2 + 5, 7])).toEqual([expected[BLOCK_ROWS * 2 + 5], expected[7]]);
    expect(findRow(db, 'f', BLOCK_ROWS + 10)).toEqual({ seq: BLOCK_ROWS + 8, row: expected[BLOCK_ROWS + 8] });
    // What is stored is text, as before: SQLite's own functions read it as JSON.
    const type = db.prepare('SELECT typeof(rows) AS t, json_valid(rows) AS v FROM file_blocks WHERE block = 0').get();
    expect(type).toEqual({ t: 'text', v: 1 });
    db.close();
  });
});
