import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));

describe('reading Excel 97–2003 workbooks (.xls)', () => {
  it('reads a workbook saved by LibreOffice Calc like its .xlsx twin', async () => {
    const { result, rows } = await readBytes(tempDir(), 'accounts-book.xls', fixture('accounts-book.xls'));
    expect(result).toMatchObject({
      format: 'xls',
      sheet: 'Accounts',
      sheets: [
        { name: 'Notes', rows: 1 },
        { name: 'Accounts', rows: 5 },
      ],
      headerRow: 3,
    });
    expect(result.columns.map((c) => c.name)).toEqual(['Account ID', 'Account Name', 'Renewal date', 'Seats', 'MRR']);
    expect(rows).toEqual([
      [4, '00123', 'Acme, Inc.', '2027-01-15', '40', '12000'],
      [5, '00124', 'Kraków Software', '2026-12-01', '3', '900'],
    ]);
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
