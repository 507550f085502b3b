import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../support/read.ts';
import { ACCOUNTS_BOOK } from '../../support/accounts-book.ts';
import { tempDir } from '../../support/temp.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));

describe('reading Excel 97–2003 workbooks (.xls)', () => {
  it('reads a workbook saved by LibreOffice Calc like its .xlsx twin', async () => {
    const { result, rows } = await readBytes(tempDir(), 'accounts-book.xls', fixture('accounts-book.xls'));
    const { sheet, sheets, headerRow, columns, rows: expected } = ACCOUNTS_BOOK;
    expect(result).toMatchObject({ format: 'xls', sheet, sheets, headerRow });
    expect(result.columns.map((c) => c.name)).toEqual(columns);
    expect(rows).toEqual(expected);
  });

  it('reads a shared string table that spans several records, wide and narrow characters alike', async () => {
    // many-strings.xls is many-strings.csv saved by LibreOffice: 800 rows of mixed-script names.
    const dir = tempDir();
    const xls = await readBytes(dir, 'many-strings.xls', fixture('many-strings.xls'));
    const csv = await readBytes(dir, 'many-strings.csv', fixture('many-strings.csv'));
    expect(xls.rows.length).toBe(800);
    expect(xls.rows).toEqual(csv.rows);
  });

  it('explains a damaged workbook', async () => {
    const bytes = fixture('accounts-book.xls');
    await expect(readBytes(tempDir(), 'cut.xls', bytes.subarray(0, 1536))).rejects.toMatchObject({
      message: expect.stringContaining('“cut.xls” is damaged or incomplete') as unknown,
    });
  });
});
