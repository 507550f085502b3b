import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The delimited reader against papaparse used plainly, as a reference: on generated CSV — quoted and bare cells
 * with commas, quotes, line breaks of either kind and any Unicode, one line ending per file, some files larger
 * than a read chunk — the reader's rows are papaparse's rows of the whole text at once, with the file's row
 * numbers. (Where they differ by design — blank rows skipped, NUL removed, a BOM dropped — the input avoids it.)
 */

const cellText = fc.oneof(
  fc.string({ maxLength: 12, unit: 'grapheme' }),
  fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'two\r\nlines', ' padded ', '"', ',', '', '00123', 'Zoë 🎉'),
);
/** A cell as a CSV writer would write it: quoted when it must be (and sometimes when it need not be). */
const csvCell = fc
  .tuple(
    cellText.map((text) => text.replaceAll('\0', '').replaceAll('\uFEFF', '')),
    fc.boolean(),
  )
  .map(([text, quoteAnyway]) =>
    quoteAnyway || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text.replaceAll('\r', ''),
  );

const table = fc.record({
  header: fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}[A-Za-z0-9]$/), {
    minLength: 1,
    maxLength: 6,
    selector: (name) => name.toLowerCase(),
  }),
  rows: fc.array(fc.array(csvCell, { minLength: 1, maxLength: 7 }), { minLength: 1, maxLength: 30 }),
  newline: fc.constantFrom('\n', '\r\n'),
  finalNewline: fc.boolean(),
  /** Repeat the rows so the file spans several of the reader's 1 MB chunks. */
  copies: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(4_000) }),
});

describe('delimited reading agrees with papaparse', () => {
  it('on generated CSV, row for row and cell for cell', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(table, async ({ header, rows, newline, finalNewline, copies }) => {
        // Every row starts with an ID, so none is blank (blank rows are skipped by design).
        const body = Array.from({ length: copies }, (_, copy) =>
          rows.map((cells, i) => [`id-${copy}-${i}`, ...cells].join(',')),
        ).flat();
        const text = [header.join(','), ...body].join(newline) + (finalNewline ? newline : '');

        const expected = Papa.parse<string[]>(text, { delimiter: ',', newline }).data;
        if (finalNewline) expected.pop(); // The empty record after the last line break is not a row.

        const { result, rows: read } = await readBytes(tempDir(), 'generated.csv', text, {
          headerRow: 1,
          delimiter: ',',
        });
        // Columns beyond the header's are named after their letters; the header's keep its text.
        const headerCells = expected[0] ?? [];
        expect(result.columns.slice(0, headerCells.length).map((column) => column.original)).toEqual(headerCells);
        expect(read.length).toBe(expected.length - 1);
        read.forEach(([rowNumber, ...cells], i) => {
          expect(rowNumber).toBe(i + 2);
          expect(cells).toEqual(expected[i + 1]);
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });
});
