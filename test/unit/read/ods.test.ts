import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../support/read.ts';
import { ACCOUNTS_BOOK } from '../../support/accounts-book.ts';
import { tempDir } from '../../support/temp.ts';
import { buildOds } from '../../support/xlsx.ts';

const text = (value: string) =>
  `<table:table-cell office:value-type="string"><text:p>${value}</text:p></table:table-cell>`;

describe('reading OpenDocument spreadsheets', () => {
  it('reads a workbook saved by LibreOffice Calc like its .xlsx twin', async () => {
    const bytes = readFileSync(new URL('../../fixtures/accounts-book.ods', import.meta.url));
    const { result, rows } = await readBytes(tempDir(), 'accounts-book.ods', bytes);
    const { sheet, sheets, headerRow, columns, rows: expected } = ACCOUNTS_BOOK;
    expect(result).toMatchObject({ format: 'ods', sheet, sheets, headerRow });
    expect(result.columns.map((c) => c.name)).toEqual(columns);
    expect(rows).toEqual(expected);
  });

  it('expands repeated cells and rows where data follows, and never a million blank ones', async () => {
    const bytes = buildOds(
      `<table:table table:name="S">` +
        `<table:table-row>${text('a')}<table:table-cell table:number-columns-repeated="2"/>${text('d')}</table:table-row>` +
        `<table:table-row table:number-rows-repeated="2">${text('x')}<table:table-cell office:value-type="float" office:value="1.5" table:number-columns-repeated="2"/><table:table-cell table:number-columns-repeated="16000"/></table:table-row>` +
        `<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
        `</table:table>`,
    );
    const { result, rows } = await readBytes(tempDir(), 'r.ods', bytes);
    expect(result.columns.map((c) => c.name)).toEqual(['a', 'Column B', 'Column C', 'd']);
    expect(rows).toEqual([
      [2, 'x', '1.5', '1.5'],
      [3, 'x', '1.5', '1.5'],
    ]);
    expect(result.sheets).toEqual([{ name: 'S', rows: 3 }]);
  });

  it('keeps text as written: paragraphs, spaces, booleans, times', async () => {
    const bytes = buildOds(
      `<table:table table:name="S"><table:table-row>${text('note')}${text('flag')}${text('at')}</table:table-row>` +
        `<table:table-row><table:table-cell office:value-type="string"><text:p>two<text:s text:c="2"/>spaces</text:p><text:p>second line</text:p></table:table-cell>` +
        `<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>` +
        `<table:table-cell office:value-type="time" office:time-value="PT13H30M00S"><text:p>13:30</text:p></table:table-cell></table:table-row></table:table>`,
    );
    const { rows } = await readBytes(tempDir(), 't.ods', bytes);
    expect(rows).toEqual([[2, 'two  spaces\nsecond line', 'TRUE', '13:30:00']]);
  });

  it('explains a damaged file', async () => {
    const bytes = buildOds('<table:table table:name="S"></table:table>');
    await expect(readBytes(tempDir(), 'cut.ods', bytes.subarray(0, 40))).rejects.toMatchObject({
      message: expect.stringContaining('“cut.ods” is damaged or incomplete') as unknown,
    });
  });
});
