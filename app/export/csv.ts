/**
 * CSV for Excel: UTF-8 with a byte-order mark (so Excel reads accents and emoji right), CRLF line ends, and every
 * cell Excel would run as a formula — one that begins with `=`, `+`, `-`, `@`, a tab or a carriage return —
 * neutralised with a leading apostrophe (papaparse's `escapeFormulae`). A plain number such as `-5` or `+3.2` is no
 * formula and is written as it is.
 */
import Papa from 'papaparse';

export const BOM = '\uFEFF';

/**
 * Cells that begin like a formula, except plain numbers — and cells whose own text begins with apostrophes before
 * such a character (`'=x`), which get one more: a file loaded again for a re-run has one apostrophe taken back from
 * each (`restoreCell`), which must give every value exactly as it was.
 */
export const FORMULA_START = /^(?![+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?$)'*[=+\-@\t\r]/;

/** Whether a cell of a file loaded again carries the apostrophe the export put before it. */
export const NEUTRALISED = /^'+[=+\-@\t\r]/;

/** A cell of a file loaded again, as it was before the export neutralised it (the cell itself if it was not). */
export function restoreCell(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/** The CSV text of a header and rows, in chunks (the first with the byte-order mark and the header). */
export function* csvChunks(
  header: readonly string[],
  rows: Iterable<readonly string[]>,
  rowsPerChunk = 1000,
): Generator<string> {
  const options = { escapeFormulae: FORMULA_START, newline: '\r\n', quotes: false } as const;
  yield BOM + Papa.unparse([header as string[]], options) + '\r\n';
  let chunk: string[][] = [];
  for (const row of rows) {
    chunk.push([...row]);
    if (chunk.length === rowsPerChunk) {
      yield Papa.unparse(chunk, options) + '\r\n';
      chunk = [];
    }
  }
  if (chunk.length > 0) yield Papa.unparse(chunk, options) + '\r\n';
}

export function toCsv(header: readonly string[], rows: Iterable<readonly string[]>): string {
  return [...csvChunks(header, rows)].join('');
}
