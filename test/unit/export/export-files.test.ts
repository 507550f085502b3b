import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BOM, csvChunks, restoreCell, toCsv } from '../../../app/export/csv.ts';
import { cellText, columnName, MAX_XLSX_CELL, xlsxLimitProblem, xlsxWorkbook } from '../../../app/export/xlsx.ts';
import { zip } from '../../../app/export/zip.ts';
import { readSpreadsheet } from '../../../app/read/index.ts';
import type { ReadResult, StoredRow } from '../../../app/read/types.ts';
import { tempDir } from '../../support/temp.ts';

/** Reads a file with the app's own reader, as loading it in Upload does. */
async function readBack(name: string, bytes: string | Uint8Array): Promise<{ result: ReadResult; rows: StoredRow[] }> {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  const rows: StoredRow[] = [];
  const result = await readSpreadsheet(
    path,
    name,
    {},
    { write: (row) => void rows.push(row), finish: () => undefined },
    { signal: new AbortController().signal, onProgress: () => undefined },
  );
  return { result, rows };
}

const HEADER = ['Account ID', 'User ID', 'E-mail', 'Notes', 'Row', 'Error'];

/** Values a failed-rows export meets: accents, scripts, emoji, separators, quotes, line breaks, IDs with zeros. */
const PLAIN: string[][] = [
  ['A001', 'U1', 'zoë@example.com', 'Crème brûlée, “quoted”', '2', 'Vitally refused the user.'],
  ['A002', 'U2', '東京@example.jp', 'line one\nline two', '3', 'He said "no"; then: yes'],
  ['007', 'U3', 'rocket🚀@example.com', '  padded  ', '4', ''],
  ['-5', '+3.2', '1e5', '-0.25', '5', 'plain numbers stay numbers'],
];

/** Cells Excel would run as formulas (or hide behind a tab or carriage return). */
const FORMULAS = ['=1+2', '+cmd|" /C calc"!A0', '-2+3+cmd', '@SUM(A1:A2)', '\tTabbed', '\rReturn', '=HYPERLINK("x")'];

describe('CSV export for Excel', () => {
  it('starts with a UTF-8 byte-order mark, ends lines with CRLF and quotes what needs quoting', () => {
    const csv = toCsv(
      ['A', 'B'],
      [
        ['x,y', 'say "hi"'],
        ['two\nlines', 'plain'],
      ],
    );
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe('A,B\r\n"x,y","say ""hi"""\r\n"two\nlines",plain\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('neutralises every cell that begins like a formula, and leaves plain numbers alone', () => {
    const csv = toCsv(['Value'], [...FORMULAS.map((f) => [f]), ['-5'], ['+3.2'], ['-1e3'], ['a=b'], ['mail@x.io']]);
    const lines = csv.slice(1).split('\r\n');
    // Each formula-like cell is quoted with an apostrophe in front: Excel shows it as text and runs nothing.
    for (const [index, formula] of FORMULAS.entries()) {
      const line = lines[index + 1] ?? '';
      expect(line.startsWith(`"'`)).toBe(true);
      expect(line).toContain(formula.replaceAll('"', '""'));
    }
    expect(lines.slice(FORMULAS.length + 1, -1)).toEqual(['-5', '+3.2', '-1e3', 'a=b', 'mail@x.io']);
  });

  it('loaded again, every cell comes back exactly once the export’s apostrophe is taken back, apostrophes of its own included', async () => {
    // Text that itself begins with an apostrophe before a formula character would lose it on the way back.
    const values = [
      ...FORMULAS,
      "'=not a formula",
      "'+44 20 7946 0000",
      "'-",
      "'@home",
      "''=z",
      "'-5",
      "it's",
      '-5',
      "'",
    ];
    const { rows: read } = await readBack(
      'apostrophes.csv',
      toCsv(
        ['Value'],
        values.map((v) => [v]),
      ),
    );
    const cells = read.map(([, cell]) => String(cell));
    // Nothing Excel would run: each formula-like cell still begins with an apostrophe.
    for (const cell of cells) expect(/^[=+\-@\t\r]/.test(cell) && cell !== '-5').toBe(false);
    expect(cells.map(restoreCell)).toEqual(values);
  });

  it('writes in chunks that join to the same text', () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [`U${i}`, `=${i}`]);
    const chunks = [...csvChunks(['User', 'Value'], rows, 1000)];
    expect(chunks).toHaveLength(4);
    expect(chunks.join('')).toBe(toCsv(['User', 'Value'], rows));
  });

  it('reads back through the app’s reader: same columns, same values, formula-like cells marked as text', async () => {
    const rows = [...PLAIN, ...FORMULAS.map((f, i) => ['A9', `U${10 + i}`, f, 'x', String(10 + i), 'e'])];
    const { result, rows: read } = await readBack('failed rows.csv', toCsv(HEADER, rows));
    // Accents, scripts and emoji come back whole, and the byte-order mark stays off the first header.
    expect(result.columns.map((c) => c.name)).toEqual(HEADER);
    expect(read.map(([, ...cells]) => cells)).toEqual([
      ...PLAIN,
      ...FORMULAS.map((f, i) => ['A9', `U${10 + i}`, `'${f}`, 'x', String(10 + i), 'e']),
    ]);
  });
});

describe('XLSX export', () => {
  it('says which row and column Excel could not keep whole, instead of writing a workbook Excel would cut', () => {
    const rowOf = (line: readonly string[]) => line[4] ?? '';
    expect(xlsxLimitProblem(HEADER, PLAIN, rowOf)).toBeNull();
    const long = ['A3', 'U3', 'u3@example.com', 'x'.repeat(MAX_XLSX_CELL + 1), '41', 'Vitally refused the user.'];
    expect(xlsxLimitProblem(HEADER, [...PLAIN, long], rowOf)).toBe(
      'Row 41, column “Notes” holds 32,768 characters, more than an Excel cell keeps (32,767): Excel would cut it. ' +
        'Export as CSV instead, which keeps every character.',
    );
    const edge = [...long.slice(0, 3), 'x'.repeat(MAX_XLSX_CELL), ...long.slice(4)];
    expect(xlsxLimitProblem(HEADER, [edge], rowOf)).toBeNull();
    const many = Array.from({ length: 1_048_576 }, () => PLAIN[0] ?? []);
    expect(xlsxLimitProblem(HEADER, many, rowOf)).toMatch(/^These 1,048,576 rows are more than an Excel sheet holds/);
  });

  it('reads back through the app’s reader exactly, formula-like text included', async () => {
    const awkward = [
      ['A1', 'U1', 'control\u0001char', 'carriage\rreturn', '6', 'literal _x0041_ stays'],
      ['A2', 'U2', '<tag> & "quotes"', 'tab\there', '7', 'x'.repeat(5000)],
    ];
    const rows = [...PLAIN, ...awkward, ...FORMULAS.map((f, i) => ['A9', `U${10 + i}`, f, '', String(10 + i), ''])];
    const { result, rows: read } = await readBack('failed rows.xlsx', xlsxWorkbook('Failed rows', HEADER, rows));
    expect(result.format).toBe('xlsx');
    expect(result.sheet).toBe('Failed rows');
    expect(result.columns.map((c) => c.name)).toEqual(HEADER);
    // Empty trailing cells may be short in a workbook's row: compare cell by cell.
    expect(read.map(([, ...cells]) => HEADER.map((_, i) => cells[i] ?? ''))).toEqual(rows);
    // Excel row numbers: the header is row 1.
    expect(read.map(([rowNumber]) => rowNumber)).toEqual(rows.map((_, i) => i + 2));
  });

  it('stores every value as text: no formula, no number Excel could reformat', () => {
    const parts = unzipSync(xlsxWorkbook('Sheet', ['ID'], [['=1+2'], ['007'], ['1e5']]));
    const sheet = strFromU8(parts['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(sheet).not.toContain('<f>');
    expect(sheet.match(/<c /g)).toHaveLength(4);
    expect(sheet.match(/t="inlineStr"/g)).toHaveLength(4);
    expect(sheet).toContain('>=1+2<');
    expect(Object.keys(parts).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
  });

  it('escapes what XML cannot hold the way Excel does', () => {
    expect(cellText('a & b < c > "d"')).toBe('a &amp; b &lt; c &gt; &quot;d&quot;');
    expect(cellText('\u0001\r')).toBe('_x0001__x000D_');
    expect(cellText('_x0041_')).toBe('_x005F_x0041_');
    expect(cellText('line\nbreak\ttab')).toBe('line\nbreak\ttab');
    expect(cellText('lone \uD800 surrogate')).toBe('lone \uFFFD surrogate');
    expect(['A', 'Z', 'AA', 'AZ', 'BA', 'XFD'].map((_, i) => columnName([0, 25, 26, 51, 52, 16383][i] ?? 0))).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'XFD',
    ]);
  });
});

describe('zip writer', () => {
  it('makes an archive another zip reader opens, with each entry’s bytes intact', () => {
    const big = Buffer.from('repeat '.repeat(100_000));
    const archive = zip([
      { name: 'a.txt', data: Buffer.from('hello') },
      { name: 'dir/ünïcode.bin', data: Buffer.from([0, 1, 2, 255]) },
      { name: 'big.txt', data: big },
      { name: 'empty', data: new Uint8Array() },
    ]);
    expect(archive.length).toBeLessThan(big.length / 10);
    const parts = unzipSync(archive);
    expect(strFromU8(parts['a.txt'] ?? new Uint8Array())).toBe('hello');
    expect([...(parts['dir/ünïcode.bin'] ?? [])]).toEqual([0, 1, 2, 255]);
    expect(Buffer.from(parts['big.txt'] ?? new Uint8Array()).equals(big)).toBe(true);
    expect(parts['empty']).toHaveLength(0);
  });

  it('is the same bytes whenever it is made', () => {
    const make = () => xlsxWorkbook('S', ['a'], [['1']]);
    expect(make().equals(make())).toBe(true);
  });
});
