import { describe, expect, it } from 'vitest';
import { excelSerialToIso, isDateFormat } from '../../../app/read/excel-dates.ts';
import { readBytes } from '../../support/read.ts';
import { ACCOUNTS_BOOK } from '../../support/accounts-book.ts';
import { tempDir } from '../../support/temp.ts';
import { buildXlsx } from '../../support/xlsx.ts';

const row = (r: number, cells: string) => `<row r="${r}">${cells}</row>`;

describe('reading Excel workbooks', () => {
  it('reads every kind of cell as the user sees its value, with Excel’s row numbers', async () => {
    const bytes = buildXlsx({
      sharedStrings: [
        'Account ID',
        'Name',
        'Signed up',
        'Active',
        'Total',
        '00123',
        'Acme, Inc.',
        '<r><t>Zo</t></r><r><t>ë</t></r><rPh><t>ゾエ</t></rPh>',
      ],
      cellStyles: [0, 14, 22, 164],
      customFormats: { 164: 'dd/mm/yyyy;@' },
      sheets: [
        {
          name: 'Accounts',
          dimension: 'A1:E3',
          sheetData:
            row(
              1,
              '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>',
            ) +
            row(
              2,
              '<c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" s="1"><v>45355</v></c><c r="D2" t="b"><v>1</v></c><c r="E2"><f>SUM(1,2)</f><v>0.30000000000000004</v></c>',
            ) +
            row(
              4,
              '<c r="A4" t="inlineStr"><is><t>A_x000D_B</t></is></c><c r="B4" t="s"><v>7</v></c><c r="C4" s="2"><v>45355.5</v></c><c r="D4" t="e"><v>#N/A</v></c><c r="E4" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>',
            ) +
            row(5, '<c r="A5"><v>12345678901234567890</v></c><c r="C5" s="3"><v>45355</v></c>'),
        },
      ],
    });
    const { result, rows } = await readBytes(tempDir(), 'accounts.xlsx', bytes);
    expect(result).toMatchObject({
      format: 'xlsx',
      sheet: 'Accounts',
      sheets: [{ name: 'Accounts', rows: 3 }],
      headerRow: 1,
    });
    expect(result.columns.map((c) => c.name)).toEqual(['Account ID', 'Name', 'Signed up', 'Active', 'Total']);
    expect(rows).toEqual([
      [2, '00123', 'Acme, Inc.', '2024-03-04', 'TRUE', '0.30000000000000004'],
      [4, 'A\rB', 'Zoë', '2024-03-04T12:00:00', '#N/A', 'xy'],
      [5, '12345678901234567890', '', '2024-03-04'],
    ]);
  });

  it('uses the 1904 date system when the workbook does', async () => {
    const bytes = buildXlsx({
      date1904: true,
      cellStyles: [0, 14],
      sheets: [
        {
          name: 'S',
          sheetData: row(1, '<c t="inlineStr"><is><t>Date</t></is></c>') + row(2, '<c s="1"><v>43893</v></c>'),
        },
      ],
    });
    const { rows } = await readBytes(tempDir(), 'mac.xlsx', bytes);
    expect(rows).toEqual([[2, '2024-03-04']]);
  });

  it('finds the header below title rows, and reads the sheet the user picks', async () => {
    const bytes = buildXlsx({
      sheets: [
        { name: 'Summary', sheetData: row(1, '<c t="inlineStr"><is><t>Nothing here</t></is></c>') },
        { name: 'Secret', hidden: true, sheetData: '' },
        {
          name: 'Users',
          dimension: 'A1:B5',
          sheetData:
            row(1, '<c t="inlineStr"><is><t>Users export</t></is></c>') +
            row(3, '<c t="inlineStr"><is><t>Email</t></is></c><c t="inlineStr"><is><t>Name</t></is></c>') +
            row(4, '<c t="inlineStr"><is><t>a@b.co</t></is></c><c t="inlineStr"><is><t>Ana</t></is></c>') +
            row(5, '<c t="inlineStr"><is><t>c@d.co</t></is></c><c t="inlineStr"><is><t>Cy</t></is></c>'),
        },
      ],
    });
    const { result, rows } = await readBytes(tempDir(), 'book.xlsx', bytes, { sheet: 'Users' });
    expect(result.sheets).toEqual([
      { name: 'Summary', rows: null },
      { name: 'Users', rows: 5 },
    ]);
    expect(result.sheet).toBe('Users');
    expect(result.headerRow).toBe(3);
    expect(rows).toEqual([
      [4, 'a@b.co', 'Ana'],
      [5, 'c@d.co', 'Cy'],
    ]);
  });

  it('reads a workbook whose XML uses a namespace prefix', async () => {
    const bytes = buildXlsx({
      prefix: 'x',
      sheets: [
        {
          name: 'S',
          sheetData:
            '<x:row r="1"><x:c t="inlineStr"><x:is><x:t>id</x:t></x:is></x:c></x:row><x:row r="2"><x:c><x:v>7</x:v></x:c></x:row>',
        },
      ],
    });
    const { rows } = await readBytes(tempDir(), 'prefixed.xlsx', bytes);
    expect(rows).toEqual([[2, '7']]);
  });

  describe('bad workbooks get a clear message', () => {
    it('a truncated file', async () => {
      const bytes = buildXlsx({ sheets: [{ name: 'S', sheetData: row(1, '<c><v>1</v></c>') }] });
      await expect(
        readBytes(tempDir(), 'cut.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2))),
      ).rejects.toMatchObject({
        code: 'UNREADABLE',
        message: expect.stringContaining('“cut.xlsx” is damaged or incomplete') as unknown,
      });
    });

    it('a password-protected workbook', async () => {
      const cfb = Buffer.alloc(1024);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
      await expect(readBytes(tempDir(), 'locked.xlsx', cfb)).rejects.toMatchObject({
        code: 'PASSWORD_PROTECTED',
        message: expect.stringContaining('protected with a password') as unknown,
      });
    });

    it('a workbook without a worksheet part', async () => {
      const bytes = buildXlsx({ sheets: [] });
      await expect(readBytes(tempDir(), 'none.xlsx', bytes)).rejects.toMatchObject({ code: 'EMPTY' });
    });
  });
});

describe('Excel dates', () => {
  it.each([
    [1, false, '1900-01-01'],
    [59, false, '1900-02-28'],
    [61, false, '1900-03-01'],
    [45355, false, '2024-03-04'],
    [45355.75, false, '2024-03-04T18:00:00'],
    [0.5, false, '12:00:00'],
    [0, true, '1904-01-01'],
    [43893, true, '2024-03-04'],
  ])('serial %s (1904: %s) is %s', (serial, date1904, iso) => {
    expect(excelSerialToIso(serial, date1904)).toBe(iso);
  });

  it.each([
    [14, undefined, true],
    [0, undefined, false],
    [164, 'dd/mm/yyyy;@', true],
    [165, '[$-409]mmmm d, yyyy', true],
    [166, '[h]:mm:ss', true],
    [167, '#,##0.00', false],
    [168, '0.00%', false],
    [169, '"Day "0', false],
    [170, 'General', false],
  ])('number format %s (%s) is a date: %s', (id, code, expected) => {
    expect(isDateFormat(id, code)).toBe(expected);
  });
});

describe('a workbook saved by a spreadsheet app (LibreOffice Calc, from test/fixtures/accounts-book.fods)', () => {
  it('passes over a notes sheet, finds the header below a title, and gives dates and formula results', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(new URL('../../fixtures/accounts-book.xlsx', import.meta.url));
    const { result, rows } = await readBytes(tempDir(), 'accounts-book.xlsx', bytes);
    const { sheet, sheets, headerRow, columns, rows: expected } = ACCOUNTS_BOOK;
    expect(result).toMatchObject({ sheet, sheets, headerRow });
    expect(result.columns.map((c) => c.name)).toEqual(columns);
    expect(rows).toEqual(expected);
  });
});
