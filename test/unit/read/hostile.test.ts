import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadError, readSpreadsheet, type StoredRow } from '../../../app/read/index.ts';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';
import { buildOds, buildXls, buildXlsx, type XlsCell } from '../../support/xlsx.ts';
import { BoundedReader, ENGINEER_WORDS, HEAP_LIMIT_MB, type Outcome } from './bounded.ts';

/**
 * Workbooks made to hurt the reader (each found by an attack review) and workbooks that are simply damaged: every
 * one ends — refused with a message in plain words, or read — within 2 s and under the heap cap of `bounded.ts`.
 */

/** What a hostile file may cost. The thread is given longer, so a slow read is measured rather than cut off. */
const READ_MS = 2_000;
const DEADLINE_MS = 15_000;

const reader = new BoundedReader();
afterAll(() => reader.close());

const row = (r: number, cells: string) => `<row r="${r}">${cells}</row>`;
const header = row(
  1,
  '<c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>MRR</t></is></c>',
);
const odsText = (value: string) =>
  `<table:table-cell office:value-type="string"><text:p>${value}</text:p></table:table-cell>`;

/** A sheet part with a long run of text after `start`, compressed small. */
function xlsxWithTail(start: string, tail: string): Uint8Array {
  return buildXlsx({ sheets: [{ name: 'Data', sheetData: header + row(2, start) + tail }] });
}

async function bounded(name: string, bytes: Uint8Array): Promise<Outcome> {
  const outcome = await reader.read(name, bytes, DEADLINE_MS);
  expect(outcome.kind, `the read ended as ${outcome.kind}`).not.toMatch(/out-of-memory|too-slow|crashed/);
  expect(outcome.ms).toBeLessThan(READ_MS);
  return outcome;
}

async function refused(name: string, bytes: Uint8Array): Promise<string> {
  const outcome = await bounded(name, bytes);
  if (outcome.kind !== 'refused') throw new Error(`expected “${name}” to be refused, but it ended as ${outcome.kind}`);
  expect(outcome.message).not.toMatch(ENGINEER_WORDS);
  expect(outcome.message).not.toContain('error in the app');
  return outcome.message;
}

describe(`hostile workbooks end within ${READ_MS} ms and ${HEAP_LIMIT_MB} MB`, () => {
  it('an .xlsx whose cell is in column ZZZZZZZ is refused, naming the column', { timeout: 60_000 }, async () => {
    const bytes = buildXlsx({
      sheets: [{ name: 'Data', sheetData: header + row(2, '<c r="ZZZZZZZ2"><v>1</v></c>') }],
    });
    expect(bytes.length).toBeLessThan(2_000);
    expect(await refused('columns.xlsx', bytes)).toBe(
      "The sheet “Data” says a cell is in column ZZZZZZZ in row 2, beyond Excel's last column XFD. The file may be damaged.",
    );
  });

  it('an .xlsx with a row past 1,048,576 is refused, naming the row', { timeout: 60_000 }, async () => {
    const bytes = buildXlsx({ sheets: [{ name: 'Data', sheetData: header + row(1_048_577, '<c><v>1</v></c>') }] });
    expect(await refused('rows.xlsx', bytes)).toContain(
      "says a row is number 1,048,577, beyond Excel's last row 1,048,576",
    );
  });

  it(
    'an .ods whose repeated rows and columns multiply to billions of cells is refused',
    { timeout: 60_000 },
    async () => {
      const bomb =
        '<table:table-row table:number-rows-repeated="16384"><table:table-cell table:number-columns-repeated="16384" ' +
        'office:value-type="float" office:value="1"/></table:table-row>';
      const bytes = buildOds(`<table:table table:name="Data">${bomb.repeat(64)}</table:table>`);
      expect(bytes.length).toBeLessThan(1_000);
      expect(await refused('repeats.ods', bytes)).toMatch(
        /^The sheet “Data” would make more than [\d,]+ cells that the file does not write out \(blank cells it skips over, cells and rows it repeats\) in row 1\./,
      );
    },
  );

  it('an .xlsx whose rows skip from column A to XFD again and again is refused', { timeout: 60_000 }, async () => {
    const sparse = Array.from({ length: 5_000 }, (_, i) =>
      row(i + 2, `<c r="A${i + 2}"><v>1</v></c><c r="XFD${i + 2}"><v>2</v></c>`),
    ).join('');
    const bytes = buildXlsx({ sheets: [{ name: 'Data', sheetData: header + sparse }] });
    expect(await refused('sparse.xlsx', bytes)).toContain('cells that the file does not write out');
  });

  it('an .xlsx that puts one long shared text in thousands of cells is refused', { timeout: 60_000 }, async () => {
    const cells = Array.from({ length: 1_000 }, () => '<c t="s"><v>0</v></c>').join('');
    const bytes = buildXlsx({
      sharedStrings: ['x'.repeat(1_000_000)],
      sheets: [{ name: 'Data', sheetData: Array.from({ length: 100 }, (_, i) => row(i + 1, cells)).join('') }],
    });
    expect(await refused('shared.xlsx', bytes)).toContain('repeats long text so many times');
  });

  it(
    'an .xlsx whose shared strings unpack a thousandfold (a zip bomb) is refused before it is unpacked',
    { timeout: 60_000 },
    async () => {
      const bytes = buildXlsx({
        sharedStrings: ['y'.repeat(80 * 1024 * 1024)],
        sheets: [{ name: 'Data', sheetData: header + row(2, '<c r="A2" t="s"><v>0</v></c>') }],
      });
      expect(bytes.length).toBeLessThan(200_000);
      expect(await refused('bomb.xlsx', bytes)).toMatch(
        /^The workbook “bomb\.xlsx” is damaged or made to overwhelm the app: its part “xl\/sharedStrings\.xml” would grow from \d+ KB to 80 MB/,
      );
    },
  );

  it('an .ods with a run of a billion spaces in a cell is refused', { timeout: 60_000 }, async () => {
    const bytes = buildOds(
      `<table:table table:name="Data"><table:table-row>${odsText('a')}</table:table-row><table:table-row>` +
        `${odsText('<text:s text:c="1000000000"/>')}</table:table-row></table:table>`,
    );
    expect(await refused('spaces.ods', bytes)).toContain('“Data” has a cell in row 2 with more than');
  });

  it(
    'an .xlsx that lists one large part as thousands of sheets reads that part once',
    { timeout: 60_000 },
    async () => {
      const parts = unzipSync(buildXlsx({ sheets: [{ name: 'Data', sheetData: '' }] }));
      const sheets = Array.from({ length: 2_000 }, (_, i) => `<sheet name="S${i}" sheetId="${i + 1}" r:id="rId1"/>`);
      parts['xl/workbook.xml'] = strToU8(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
          `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.join('')}</sheets></workbook>`,
      );
      // No <sheetData>, so nothing tells the reader to stop looking for the sheet's size before the part's end.
      parts['xl/worksheets/sheet1.xml'] = strToU8(`<worksheet>${'<x/>'.repeat(500_000)}</worksheet>`);
      expect(await refused('sheets.xlsx', zipSync(parts))).toBe(
        '“sheets.xlsx” has no rows: it contains only blank lines.',
      );
    },
  );

  it('an .xls whose cell is past column XFD is refused, naming the column', { timeout: 60_000 }, async () => {
    const bytes = buildXls('Data', [
      [0, 0, 'Name'],
      [1, 0, 'Acme'],
      [1, 20_000, 1],
    ]);
    expect(await refused('columns.xls', bytes)).toBe(
      "The sheet “Data” says a cell is in column ACOG in row 2, beyond Excel's last column XFD. The file may be damaged.",
    );
  });

  it('an .xls whose rows skip from column A to XFD again and again is refused', { timeout: 60_000 }, async () => {
    const cells = Array.from({ length: 20_000 }, (_, i): XlsCell[] => [
      [i, 0, 1],
      [i, 16_383, 2],
    ]).flat();
    expect(await refused('sparse.xls', buildXls('Data', cells))).toContain('cells that the file does not write out');
  });

  describe('text that never ends is read in linear time', () => {
    const megabytes = 40 * 1024 * 1024;
    it.each([
      ['a lone & followed by 40 MB of text', '<c t="inlineStr"><is><t>fish & ', 'an “&” does not start a reference'],
      ['a tag that never closes', '<c r="A2" t="inlineStr', 'a tag is too long, or is never closed'],
      ['an attribute that never closes', '<c r="A2', 'a tag is too long, or is never closed'],
      ['a CDATA section that never closes', '<c t="inlineStr"><is><t><![CDATA[', 'a CDATA section is too long'],
      ['a comment that never closes', '<!-- ', 'a comment is too long'],
    ])('%s', { timeout: 60_000 }, async (_what, start, problem) => {
      const bytes = xlsxWithTail(start, 'y'.repeat(megabytes));
      expect(bytes.length).toBeLessThan(100_000);
      const message = await refused('endless.xlsx', bytes);
      expect(message).toContain('The workbook “endless.xlsx” is damaged: its part “xl/worksheets/sheet1.xml”');
      expect(message).toContain(problem);
    });
  });

  it(
    'LibreOffice’s blank columns and rows repeated to the end of the sheet still read, fast',
    { timeout: 60_000 },
    async () => {
      const bytes = buildOds(
        `<table:table table:name="Data">` +
          `<table:table-row>${odsText('Name')}${odsText('MRR')}<table:table-cell table:number-columns-repeated="16382"/></table:table-row>` +
          `<table:table-row table:number-rows-repeated="3">${odsText('Acme')}<table:table-cell office:value-type="float" office:value="12"/>` +
          `<table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
          `<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>` +
          `</table:table>`,
      );
      const outcome = await bounded('tail.ods', bytes);
      expect(outcome).toMatchObject({
        kind: 'rows',
        rows: 3,
        first: [
          [2, 'Acme', '12'],
          [3, 'Acme', '12'],
          [4, 'Acme', '12'],
        ],
      });
    },
  );
});

describe(`hostile text files end within ${READ_MS} ms and ${HEAP_LIMIT_MB} MB`, () => {
  it(
    'a quote never closed, followed by 96 MB, is read once, not again at every chunk',
    { timeout: 60_000 },
    async () => {
      const bytes = Buffer.from(`Name,Notes\nAcme,"${'x'.repeat(96 * 1024 * 1024)}`);
      const outcome = await bounded('quote.csv', bytes);
      expect(outcome).toMatchObject({ kind: 'rows', rows: 1 });
    },
  );
});

describe('damaged workbooks get a ReadError that names the problem', () => {
  /** The workbook with one part's bytes replaced. */
  function withPart(bytes: Uint8Array, part: string, content: string): Uint8Array {
    const parts = unzipSync(bytes);
    parts[part] = strToU8(content);
    return zipSync(parts);
  }

  /** The workbook with the first byte of one part's compressed data made impossible (a reserved block type). */
  function withBadDeflate(bytes: Uint8Array, part: string): Uint8Array {
    const copy = Uint8Array.from(bytes);
    const view = new DataView(copy.buffer);
    const name = strToU8(part);
    for (let at = 0; at + 30 < copy.length; at++) {
      if (view.getUint32(at, true) !== 0x04034b50) continue;
      const nameLength = view.getUint16(at + 26, true);
      const extraLength = view.getUint16(at + 28, true);
      const found = copy.subarray(at + 30, at + 30 + nameLength);
      if (nameLength !== name.length || !found.every((b, i) => b === name[i])) continue;
      expect(view.getUint16(at + 8, true), 'the part is deflated').toBe(8);
      copy[at + 30 + nameLength + extraLength] = 0xff;
      return copy;
    }
    throw new Error(`no part ${part}`);
  }

  const sample = () =>
    buildXlsx({ sheets: [{ name: 'Data', sheetData: header + row(2, '<c t="inlineStr"><is><t>Acme</t></is></c>') }] });

  const failure = async (name: string, bytes: Uint8Array) => {
    try {
      await readBytes(tempDir(), name, bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(ReadError);
      return error as ReadError;
    }
    throw new Error('expected the read to fail');
  };

  it.each([
    ['xl/workbook.xml', 'the workbook’s list of sheets'],
    ['xl/worksheets/sheet1.xml', 'a worksheet'],
  ])('bad compressed data in %s (%s)', async (part) => {
    const error = await failure('deflate.xlsx', withBadDeflate(sample(), part));
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe(
      `The workbook “deflate.xlsx” is damaged: the compressed data of its part “${part}” is corrupt or cut short. ` +
        'Open it in Excel and save it again, or export it again.',
    );
  });

  it('bad compressed data in an .ods', async () => {
    const error = await failure(
      'deflate.ods',
      withBadDeflate(buildOds('<table:table table:name="S"/>'), 'content.xml'),
    );
    expect(error.message).toContain('the compressed data of its part “content.xml” is corrupt');
  });

  it.each([
    [
      'a document type (the start of an entity bomb)',
      '<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><workbook/>',
      'it declares a document type (<!DOCTYPE …>), which workbooks never have',
    ],
    [
      'tags that do not nest',
      '<workbook><sheets></workbook></sheets>',
      'the end tag </workbook> does not match the tag it closes',
    ],
    [
      'an unknown entity',
      '<workbook><sheets><sheet name="A&nbsp;B"/></sheets></workbook>',
      '&nbsp; is not one of the entities XML knows',
    ],
    [
      'a cut-short part',
      '<workbook><sheets><sheet name="Data"',
      'it ends before its elements are closed (the part was cut short)',
    ],
  ])('%s in the workbook part', async (_what, xml, problem) => {
    const error = await failure('broken.xlsx', withPart(sample(), 'xl/workbook.xml', xml));
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe(
      `The workbook “broken.xlsx” is damaged: its part “xl/workbook.xml” is not valid XML: ${problem}. ` +
        'Open it in Excel and save it again, or export it again.',
    );
  });
});

describe('a Cancel sent while a workbook is read (from another event) is seen within a moment', () => {
  const manyRows = 60_000;
  it.each([
    [
      'long.xls',
      () =>
        buildXls('Data', [
          [0, 0, 'Name'],
          [0, 1, 'MRR'],
          ...Array.from({ length: manyRows }, (_, i): XlsCell[] => [
            [i + 1, 0, `Account ${i}`],
            [i + 1, 1, i],
          ]).flat(),
        ]),
    ],
    [
      'long.xlsx',
      () =>
        buildXlsx({
          sheets: [
            {
              name: 'Data',
              sheetData:
                header +
                Array.from({ length: manyRows }, (_, i) => row(i + 2, `<c><v>${i}</v></c><c><v>1</v></c>`)).join(''),
            },
          ],
        }),
    ],
  ])('%s', { timeout: 60_000 }, async (name, build) => {
    const controller = new AbortController();
    let rows = 0;
    let rowsAtCancel = -1;
    const path = join(tempDir(), name);
    writeFileSync(path, build());
    const reading = readSpreadsheet(
      path,
      name,
      {},
      { write: () => void rows++, finish: () => undefined },
      {
        signal: controller.signal,
        onProgress: () => {
          if (rowsAtCancel >= 0) return;
          rowsAtCancel = rows;
          // As the app's Cancel arrives: a message handled between the reader's own steps.
          setImmediate(() => controller.abort());
        },
      },
    );
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(rows).toBeLessThan(manyRows / 2);
  });
});

describe('cancelling a long workbook read takes effect at once', () => {
  /** Reads, cancelling as the first row arrives; returns how many rows still arrived after that. */
  async function rowsAfterCancel(name: string, bytes: Uint8Array): Promise<number> {
    const controller = new AbortController();
    const rows: StoredRow[] = [];
    const path = join(tempDir(), name);
    writeFileSync(path, bytes);
    const reading = readSpreadsheet(
      path,
      name,
      {},
      {
        write: (stored) => {
          rows.push(stored);
          controller.abort();
        },
        finish: () => undefined,
      },
      { signal: controller.signal, onProgress: () => undefined },
    );
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED', message: 'Reading was cancelled.' });
    return rows.length;
  }

  it('in an .ods row repeated thousands of times', { timeout: 60_000 }, async () => {
    const bytes = buildOds(
      `<table:table table:name="Data"><table:table-row>${odsText('Name')}${odsText('MRR')}</table:table-row>` +
        `<table:table-row table:number-rows-repeated="100000">${odsText('Acme')}` +
        `<table:table-cell office:value-type="float" office:value="12"/></table:table-row></table:table>`,
    );
    // The header is chosen after 50 rows, which then arrive together; after that, not one more row.
    expect(await rowsAfterCancel('long.ods', bytes)).toBeLessThanOrEqual(50);
  });

  it('in an .xlsx sheet of many small rows', { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(i + 2, `<c><v>${i}</v></c><c><v>1</v></c>`)).join('');
    const bytes = buildXlsx({ sheets: [{ name: 'Data', sheetData: header + rows }] });
    expect(await rowsAfterCancel('long.xlsx', bytes)).toBeLessThanOrEqual(50);
  });
});
