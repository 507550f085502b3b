import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../../app/read/index.ts';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The delimited reader against papaparse used plainly, on the whole text at once, as the reference. The files are
 * generated to hurt: cells quoted properly, bare cells with stray quotes (`5" screen`), and raw cells with quotes,
 * delimiters and line breaks anywhere; LF, CRLF or CR line endings, or a mix of them; a byte-order mark or not;
 * UTF-8 or UTF-16 with multi-byte characters; and the reader reading a few bytes at a time, so chunk edges fall
 * inside characters, quotes, CRLFs and rows. The reader's rows must be papaparse's rows, cell for cell, with the
 * spreadsheet's row numbers. Where the reader differs by design, the reference is adjusted the same way: blank
 * rows are skipped (their numbers stay taken), and the empty record papaparse makes after a final line break is
 * not a row.
 */

const RUNS = Math.max(500, Number(process.env.FUZZ_RUNS ?? 500));

/** Pieces of cell text; `D` stands for the file's delimiter. */
const piece = fc.constantFrom(
  'a',
  'b',
  'x',
  '1',
  '42',
  ' ',
  'é',
  'Zoë',
  '日本',
  '😀',
  'ü',
  '"',
  '""',
  '5" screen',
  'D',
  '\r',
  '\n',
  '\r\n',
  '\uFEFF',
  '',
);

type Style = 'quoted' | 'bare' | 'raw';
const cell = fc.record({
  text: fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.join('')),
  style: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Style>('quoted') },
    { weight: 5, arbitrary: fc.constant<Style>('bare') },
    { weight: 1, arbitrary: fc.constant<Style>('raw') },
  ),
});

const file = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
  /** One line ending for the file, or a mix chosen row by row. */
  endings: fc.oneof(
    fc.constantFrom('\n', '\r\n', '\r').map((eol) => [eol]),
    fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 2, maxLength: 4 }),
  ),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
  encoding: fc.constantFrom('utf-8', 'utf-8', 'utf-8', 'utf-16le', 'utf-16be'),
  chunkBytes: fc.oneof(fc.integer({ min: 1, max: 48 }), fc.constant(1024 * 1024)),
});

function write(text: string, style: Style, delimiter: string): string {
  const withDelimiter = text.replaceAll('D', delimiter);
  switch (style) {
    case 'quoted':
      return `"${withDelimiter.replaceAll('"', '""')}"`;
    case 'bare':
      // What a careless writer leaves unquoted: no delimiter or line break, but quotes where they fall.
      return withDelimiter
        .replaceAll(delimiter, '')
        .replace(/[\r\n]/g, '')
        .replace(/^"/, '');
    case 'raw':
      return withDelimiter;
  }
}

/** UTF-16 files carry a byte-order mark: the text as written starts with one more (papaparse drops one, as the decoder does). */
function asWritten(text: string, encoding: string): string {
  return encoding === 'utf-8' ? text : `\uFEFF${text}`;
}

function encode(written: string, encoding: string): Uint8Array {
  if (encoding === 'utf-8') return Buffer.from(written, 'utf8');
  const bytes = Buffer.from(written, 'utf16le');
  if (encoding === 'utf-16be') bytes.swap16();
  return bytes;
}

/** Papaparse's records of the whole text, less the empty record after a final line break. */
function reference(text: string, delimiter: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { delimiter });
  const records = parsed.data;
  const last = records.at(-1);
  if (text.endsWith(parsed.meta.linebreak) && last?.length === 1 && last[0] === '') records.pop();
  return records;
}

describe('delimited reading agrees with papaparse', () => {
  it(`on ${RUNS} generated files, row for row and cell for cell`, { timeout: 180_000 }, async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(file, async ({ delimiter, rows, endings, finalNewline, bom, encoding, chunkBytes }) => {
        const lines = rows.map((cells) =>
          cells.map(({ text, style }) => write(text, style, delimiter)).join(delimiter),
        );
        let text = bom ? '\uFEFF' : '';
        lines.forEach((line, i) => {
          text += line;
          if (i < lines.length - 1 || finalNewline) text += endings[i % endings.length] ?? '\n';
        });
        const written = asWritten(text, encoding);
        const records = reference(written, delimiter);
        const header = records[0] ?? [];
        const expected = records
          .map((cells, i) => [i + 1, ...cells] as [number, ...string[]])
          .slice(1)
          .filter(([, ...cells]) => cells.some((value) => value.trim() !== ''));

        let read;
        try {
          read = await readBytes(
            dir,
            'generated.csv',
            encode(written, encoding),
            { headerRow: 1, delimiter },
            { chunkBytes },
          );
        } catch (error) {
          // A file with no data rows is refused, with the reason.
          expect(error).toBeInstanceOf(ReadError);
          expect(['EMPTY', 'NO_DATA_ROWS']).toContain((error as ReadError).code);
          expect(expected).toEqual([]);
          return;
        }
        expect(read.rows).toEqual(expected);
        const width = read.result.columns.length;
        expect(read.result.columns.map((column) => column.original)).toEqual(
          Array.from({ length: width }, (_, i) => header[i] ?? ''),
        );
        expect(read.result.encoding).toBe(encoding);
      }),
      { numRuns: RUNS },
    );
  });

  it('takes the line ending from the first megabyte, as papaparse does, and splits every later row by it', async () => {
    // CRLF for the first megabyte, then LF: papaparse keeps CRLF for the whole file.
    const head = 'id,note\r\n' + 'r1,"a ""b"" c"\r\n'.repeat(80_000);
    const text = head + 'x,5" screen\ny,2\r\nz,3\r\n';
    expect(head.length).toBeGreaterThan(1024 * 1024);
    const { rows } = await readBytes(tempDir(), 'long.csv', text, { headerRow: 1 }, { chunkBytes: 4096 });
    const records = reference(text, ',');
    expect(rows.length).toBe(records.length - 1);
    expect(rows.at(-2)).toEqual([80_002, 'x', '5" screen\ny', '2']);
    expect(rows.at(-1)).toEqual([80_003, 'z', '3']);
    expect(rows.slice(-2).map(([, ...cells]) => cells)).toEqual(records.slice(-2));
  });
});
