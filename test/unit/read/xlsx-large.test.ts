import { describe, expect, it } from 'vitest';
import { ReadError } from '../../../app/read/index.ts';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';
import { buildXlsx } from '../../support/xlsx.ts';

/** Shared strings as the file writes them, and as the user sees them. */
const SHARED: [xml: string, text: string][] = [
  ['Acme, Inc.', 'Acme, Inc.'],
  ['Zoë Café', 'Zoë Café'],
  ['日本語の会社', '日本語の会社'],
  ['Fish &amp; Chips &lt;Ltd&gt;', 'Fish & Chips <Ltd>'],
  ['Line_x000D_Break', 'Line\rBreak'],
  ['<r><t>Zo</t></r><r><rPr><b/></rPr><t>ë</t></r><rPh><t>ゾエ</t></rPh>', 'Zoë'],
  ['<t xml:space="preserve">  padded  </t>', '  padded  '],
  ['😀 emoji', '😀 emoji'],
];

/** A cell of each kind a sheet holds: its XML (at reference `ref`) and the value the user sees ('' for none). */
const KINDS: ((ref: string, n: number) => [xml: string, value: string])[] = [
  (ref, n) => [`<c r="${ref}" t="s"><v>${n % SHARED.length}</v></c>`, SHARED[n % SHARED.length]?.[1] ?? ''],
  (ref, n) => [`<c r="${ref}"><v>${n * 7.25}</v></c>`, String(n * 7.25)],
  (ref) => [`<c r="${ref}" s="1"><v>45355</v></c>`, '2024-03-04'],
  (ref) => [`<c r="${ref}" s="2"><v>45355.5</v></c>`, '2024-03-04T12:00:00'],
  (ref, n) => [`<c r="${ref}" t="b"><v>${n % 2}</v></c>`, n % 2 ? 'TRUE' : 'FALSE'],
  (ref) => [`<c r="${ref}" t="e"><v>#N/A</v></c>`, '#N/A'],
  (ref) => [`<c r="${ref}" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>`, 'xy'],
  (ref, n) => [`<c r="${ref}" t="inlineStr"><is><t>Row ${n} &amp; ünïcode</t></is></c>`, `Row ${n} & ünïcode`],
  (ref) => [`<c r="${ref}" t="inlineStr"><is><r><t>Ri</t></r><r><t>ch</t></r></is></c>`, 'Rich'],
  (ref) => [`<c r="${ref}" t="inlineStr"><is><t>a\r\nb_x000D_</t></is></c>`, 'a\nb\r'],
  (ref) => [`<c r="${ref}" s="1"/>`, ''],
  (ref, n) => [`<c  r='${ref}'\n t = "n" ><v>${n}</v ></c>`, String(n)],
  (ref) => [`<c r="${ref}" t="inlineStr"><is><t><![CDATA[<raw> & text]]></t></is></c>`, '<raw> & text'],
  (ref, n) => [`<c r="${ref}"><!-- a note --><v>-${n}.5E-3</v></c>`, `-${n}.5E-3`],
];

const COLUMNS = 'ABCDEFGHIJKL';

/**
 * A sheet of several thousand rows of every kind of cell, some columns skipped, so that its XML comes in many
 * pieces and cells, names, references and multi-byte characters are cut between them; with the rows the user
 * should see.
 */
function largeSheet(rows: number): { sheetData: string; expected: (string | number)[][] } {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const header = [...COLUMNS].map((letter, i) => `<c r="${letter}1" t="inlineStr"><is><t>Col ${i}</t></is></c>`);
  const xml = [`<row r="1">${header.join('')}</row>`];
  const expected: (string | number)[][] = [];
  for (let r = 2; r <= rows + 1; r++) {
    const cells: string[] = [];
    const values: string[] = [];
    let last = -1;
    for (let c = 0; c < COLUMNS.length; c++) {
      if (c > 0 && random(5) === 0) continue; // A column gap.
      const kind = KINDS[c === 0 ? 1 : random(KINDS.length)];
      if (!kind) throw new Error('no kind');
      const [cell, value] = kind(`${COLUMNS[c]}${r}`, r + c);
      // A cell without its reference is in the column after the one before it.
      cells.push(last === c - 1 && c > 0 && random(4) === 0 ? cell.replace(/ r=["'][A-Z]+\d+["']/, '') : cell);
      last = c;
      while (values.length < c) values.push('');
      values[c] = value;
    }
    while (values.length > 0 && values[values.length - 1] === '') values.pop();
    xml.push(`<row r="${r}" spans="1:12">${cells.join('')}</row>`);
    expected.push([r, ...values]);
  }
  return { sheetData: xml.join('\n'), expected };
}

describe('reading a large Excel workbook', () => {
  it('reads every cell of a sheet that comes in many pieces as the user sees it', async () => {
    const { sheetData, expected } = largeSheet(4_000);
    expect(sheetData.length).toBeGreaterThan(1_000_000);
    const bytes = buildXlsx({
      sharedStrings: SHARED.map(([xml]) => xml),
      cellStyles: [0, 14, 22],
      sheets: [{ name: 'Big', sheetData }],
    });
    const { result, rows } = await readBytes(tempDir(), 'big.xlsx', bytes, { headerRow: 1 });
    expect(result.columns.map((c) => c.name)).toEqual([...COLUMNS].map((_, i) => `Col ${i}`));
    expect(rows).toEqual(expected);
  });
});

/** The zip with the sizes it states for `part`'s unpacked bytes (in its local header and its directory) changed. */
function withStatedSize(zip: Uint8Array, part: string, change: (size: number) => number): Uint8Array {
  const bytes = zip.slice();
  const view = new DataView(bytes.buffer);
  const name = new TextEncoder().encode(part);
  const named = (at: number) => name.every((byte, i) => bytes[at + i] === byte);
  for (let at = 0; at + 46 < bytes.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && view.getUint16(at + 26, true) === name.length && named(at + 30)) {
      view.setUint32(at + 22, change(view.getUint32(at + 22, true)), true);
    } else if (signature === 0x02014b50 && view.getUint16(at + 28, true) === name.length && named(at + 46)) {
      view.setUint32(at + 24, change(view.getUint32(at + 24, true)), true);
    }
  }
  return bytes;
}

describe('a workbook whose part unpacks to other than the size its zip states', () => {
  const { sheetData } = largeSheet(500);
  const bytes = buildXlsx({ sharedStrings: SHARED.map(([xml]) => xml), sheets: [{ name: 'Big', sheetData }] });

  it.each([
    ['larger', (size: number) => size - 1000],
    ['smaller', (size: number) => size + 1],
  ])('is refused as damaged when the part unpacks %s', async (_, change) => {
    const damaged = withStatedSize(bytes, 'xl/worksheets/sheet1.xml', change);
    const error = await readBytes(tempDir(), 'sizes.xlsx', damaged).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReadError);
    expect((error as ReadError).message).toBe(
      'The workbook “sizes.xlsx” is damaged: the compressed data of its part “xl/worksheets/sheet1.xml” is corrupt ' +
        'or cut short. Open it in Excel and save it again, or export it again.',
    );
  });
});
