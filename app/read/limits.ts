import { columnLetter } from './detect.ts';
import { cancelled, ReadError } from './errors.ts';

/**
 * The hard limits every workbook reader applies, so that a small hostile file cannot fill memory or keep a core
 * busy: Excel's own sheet size, a cap on the cells a sheet makes without writing them out (ODS's repeated cells
 * and rows, the blank cells an XLSX or XLS row skips over) and on the text it makes by reusing text (a shared
 * string in many cells, a repeated cell, a run of spaces), and a cap on one cell's text. The caps grow with the
 * rows the file really writes, so a large genuine file is never refused; only the amplification is bounded.
 * Checks are a counter comparison, and most happen once a row, not once a cell.
 */
export const MAX_COLUMNS = 16_384;
export const MAX_ROWS = 1_048_576;
/** Cells a sheet may make beyond those it writes out: this many, plus `EXPANSION_PER_ROW` for each row it writes. */
export const EXPANSION_BASE = 10_000_000;
export const EXPANSION_PER_ROW = 1_024;
/** Characters a sheet may make by reusing text: this many, plus `REUSED_TEXT_PER_ROW` for each row it writes. */
export const REUSED_TEXT_BASE = 64 * 1024 * 1024;
export const REUSED_TEXT_PER_ROW = 64 * 1024;
/** Characters in one cell: Excel holds 32,767; other apps more, but nothing near this. */
export const MAX_CELL_CHARS = 16 * 1024 * 1024;

const LAST_COLUMN = columnLetter(MAX_COLUMNS - 1);
const count = (n: number) => n.toLocaleString('en-US');

/** A repeat count as a file writes it (`table:number-columns-repeated`): a whole number from 1, 1 otherwise. */
export function repeatCount(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Math.floor(Number(value));
  return n >= 1 ? Math.min(n, 2 ** 40) : 1;
}

/** Guards the reading of one sheet: called by a reader as it meets rows, cells and repeats. */
export class SheetLimits {
  readonly #sheet: string;
  readonly #signal: AbortSignal;
  #expanded = 0;
  #expansionAllowed = EXPANSION_BASE;
  #reusedText = 0;
  #reusedTextAllowed = REUSED_TEXT_BASE;
  /** The row being read, for messages. */
  #row = 0;

  constructor(sheet: string, signal: AbortSignal) {
    this.#sheet = sheet;
    this.#signal = signal;
  }

  /** A row the file writes out (not one it repeats), with its row number: checks cancellation. */
  row(rowNumber: number): void {
    if (this.#signal.aborted) throw cancelled();
    this.#row = rowNumber;
    this.#expansionAllowed += EXPANSION_PER_ROW;
    this.#reusedTextAllowed += REUSED_TEXT_PER_ROW;
  }

  /** A row made by repeating the one before: checks cancellation. */
  repeatedRow(): void {
    if (this.#signal.aborted) throw cancelled();
  }

  /** Rows with values reach `rowNumber`: checks Excel's last row. */
  lastRow(rowNumber: number): void {
    if (rowNumber <= MAX_ROWS) return;
    throw new ReadError(
      'UNREADABLE',
      `The sheet “${this.#sheet}” says a row is number ${count(rowNumber)}, beyond Excel's last row ` +
        `${count(MAX_ROWS)}. The file may be damaged.`,
    );
  }

  /** A cell with a value at a 0-based column; `reference` is how the file named it (`ZZZZZZZ2`), if it did. */
  column(index: number, reference?: string): void {
    if (index < MAX_COLUMNS) return;
    const named = reference ? /^[A-Za-z]{1,40}/.exec(reference)?.[0] : undefined;
    const letters = named ?? (index < 2 ** 40 ? columnLetter(index) : `number ${count(index + 1)}`);
    throw new ReadError(
      'UNREADABLE',
      `The sheet “${this.#sheet}” says a cell is in column ${letters}${this.#near()}, beyond Excel's last column ` +
        `${LAST_COLUMN}. The file may be damaged.`,
    );
  }

  /** `cells` cells the file does not write out are about to be made (blanks skipped over, repeats). */
  expand(cells: number): void {
    this.#expanded += cells;
    if (this.#expanded <= this.#expansionAllowed) return;
    throw new ReadError(
      'UNREADABLE',
      `The sheet “${this.#sheet}” would make more than ${count(this.#expansionAllowed)} cells that the file ` +
        `does not write out (blank cells it skips over, cells and rows it repeats)${this.#near()}. The file may be ` +
        'damaged or made to slow the app down. Open it in your spreadsheet app, delete the rows and columns you do ' +
        'not need, and save it again.',
    );
  }

  /** `chars` characters are about to be made by reusing text (a shared string, a repeated cell, a run of spaces). */
  reuseText(chars: number): void {
    this.#reusedText += chars;
    if (this.#reusedText <= this.#reusedTextAllowed) return;
    throw new ReadError(
      'UNREADABLE',
      `The sheet “${this.#sheet}” repeats long text so many times${this.#near()} that it would make more than ` +
        `${count(this.#reusedTextAllowed)} characters the file does not write out. The file may be damaged or made ` +
        'to slow the app down.',
    );
  }

  /** One cell's text has reached `chars` characters. */
  cellText(chars: number): void {
    if (chars <= MAX_CELL_CHARS) return;
    throw new ReadError(
      'UNREADABLE',
      `The sheet “${this.#sheet}” has a cell${this.#near()} with more than ${count(MAX_CELL_CHARS)} characters ` +
        '(Excel holds at most 32,767 in a cell). The file may be damaged.',
    );
  }

  #near(): string {
    return this.#row > 0 ? ` in row ${count(this.#row)}` : '';
  }
}

/**
 * The first data rows whose values the mapping's suggestions and value checks read (main/services/mapping.ts): a
 * read posts them as its sample as soon as it has them, so a mapping can be suggested before the read ends.
 */
export const SAMPLE_ROWS = 200;
