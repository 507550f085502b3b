import { columnLetter, detectHeaderRow, filledWidth, nameColumns, type Column } from './detect.ts';
import { ReadError } from './errors.ts';
import type { ReadNote, ReadNoteKind, RowSink, StoredRow } from './types.ts';

/** Rows looked at before the header row is chosen: enough to see past title rows. */
const HEADER_SAMPLE_ROWS = 50;
/** How many row numbers a note lists; the count covers them all. */
const NOTE_ROWS = 20;

/**
 * What every reader does with the rows it finds, whatever the format: holds the first rows back until the
 * header row is chosen (detected, or the user's), passes data rows to the sink with their row numbers, skips
 * blank rows, and keeps count — by row number — of rows that do not fit the header.
 */
export class RowCollector {
  rowCount = 0;
  readonly #fileName: string;
  readonly #sink: RowSink;
  readonly #chosenHeaderRow: number | undefined;
  /** Whether rows shorter than the header are worth a note (true for text, where cells are counted). */
  readonly #reportShortRows: boolean;
  #sample: { rowNumber: number; cells: string[] }[] | null = [];
  #header: string[] = [];
  #headerRow = 0;
  #detectedHeaderRow = 0;
  #width = 0;
  #anyRow = false;
  readonly #counts = new Map<ReadNoteKind, { count: number; rows: number[] }>();
  readonly #extraNotes: ReadNote[] = [];

  constructor(options: { fileName: string; sink: RowSink; headerRow?: number | undefined; reportShortRows: boolean }) {
    this.#fileName = options.fileName;
    this.#sink = options.sink;
    this.#chosenHeaderRow = options.headerRow;
    this.#reportShortRows = options.reportShortRows;
  }

  /** One row of the file, in order, with its row number as the user's spreadsheet shows it. */
  accept(rowNumber: number, cells: string[]): void {
    this.#anyRow = true;
    if (this.#sample) {
      this.#sample.push({ rowNumber, cells });
      const reached = this.#chosenHeaderRow === undefined || rowNumber >= this.#chosenHeaderRow;
      if (this.#sample.length >= HEADER_SAMPLE_ROWS && reached) this.#chooseHeader();
      return;
    }
    this.#acceptDataRow(rowNumber, cells);
  }

  /** Waits while the sink catches up (see `RowSink.drain`). */
  drain(): Promise<void> | undefined {
    return this.#sink.drain?.();
  }

  /** Counts a row for a note the reader itself detects (NUL characters, undecodable text). */
  note(kind: ReadNoteKind, rowNumber: number): void {
    let bucket = this.#counts.get(kind);
    if (!bucket) this.#counts.set(kind, (bucket = { count: 0, rows: [] }));
    bucket.count++;
    if (bucket.rows.length < NOTE_ROWS) bucket.rows.push(rowNumber);
  }

  /** Adds a note the reader words itself. */
  addNote(note: ReadNote): void {
    this.#extraNotes.push(note);
  }

  /** Ends the read: refuses a file with nothing to import, and returns what the result needs. */
  finish(messages: Partial<Record<ReadNoteKind, (count: number) => string>> = {}): {
    headerRow: number;
    detectedHeaderRow: number;
    columns: Column[];
    notes: ReadNote[];
  } {
    if (this.#sample) this.#chooseHeader();
    if (!this.#anyRow || (this.rowCount === 0 && filledWidth(this.#header) === 0)) {
      throw new ReadError('EMPTY', `“${this.#fileName}” has no rows: it contains only blank lines.`);
    }
    if (this.rowCount === 0) {
      throw new ReadError(
        'NO_DATA_ROWS',
        `“${this.#fileName}” has a header row (row ${this.#headerRow}) but no rows of data below it.`,
      );
    }
    this.#sink.finish();
    return {
      headerRow: this.#headerRow,
      detectedHeaderRow: this.#detectedHeaderRow,
      columns: nameColumns(this.#header, Math.max(this.#width, filledWidth(this.#header))),
      notes: [...this.#buildNotes(messages), ...this.#extraNotes],
    };
  }

  #chooseHeader(): void {
    const sample = this.#sample ?? [];
    this.#sample = null;
    const detectedIndex = detectHeaderRow(sample.map((row) => row.cells));
    this.#detectedHeaderRow = sample[detectedIndex]?.rowNumber ?? 1;
    const wanted = this.#chosenHeaderRow ?? this.#detectedHeaderRow;
    // The header is the wanted row, or the first row after it when that row is missing (blank in a workbook).
    let index = sample.findIndex((row) => row.rowNumber >= wanted);
    if (index === -1) index = Math.max(0, sample.length - 1);
    const headerRow = sample[index];
    this.#headerRow = headerRow?.rowNumber ?? wanted;
    this.#header = headerRow?.cells ?? [];
    this.#width = filledWidth(this.#header);
    if (this.#chosenHeaderRow === undefined) this.#noteSkipped(sample.slice(0, index));
    const width = Math.max(this.#width, filledWidth(this.#header));
    this.#sink.columns?.(nameColumns(this.#header, width).map((column) => column.name));
    for (let i = index + 1; i < sample.length; i++) {
      const row = sample[i];
      if (row) this.#acceptDataRow(row.rowNumber, row.cells);
    }
  }

  /**
   * Rows the detection left above the header that hold more than a title's one cell: a header with unnamed
   * columns looks narrower than its data, so its file's first data row would be taken for the header and never
   * sent. Said, with the row to choose, never silently.
   */
  #noteSkipped(above: readonly { rowNumber: number; cells: string[] }[]): void {
    const skipped = above.filter((row) => row.cells.filter((cell) => cell.trim() !== '').length >= 2);
    const first = skipped[0];
    if (!first) return;
    const shown = first.cells
      .filter((cell) => cell.trim() !== '')
      .slice(0, 4)
      .map((cell) => `“${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}”`)
      .join(', ');
    const rows = skipped.map((row) => row.rowNumber);
    this.addNote({
      kind: 'skipped-rows',
      count: rows.length,
      rows: rows.slice(0, NOTE_ROWS),
      message:
        `The header was taken to be row ${this.#headerRow}, so the ${rows.length === 1 ? 'row' : 'rows'} above it ` +
        `(row ${first.rowNumber}: ${shown}) ${rows.length === 1 ? 'is' : 'are'} not imported. If row ` +
        `${first.rowNumber} is the header, set the header row to ${first.rowNumber}.`,
    });
  }

  #acceptDataRow(rowNumber: number, cells: string[]): void {
    const headerLength = this.#header.length;
    // Most rows are as long as the header and start with a value: only the others need a closer look.
    if (cells.length !== headerLength || cells.length > this.#width || !startsFilled(cells[0])) {
      const width = filledWidth(cells);
      if (width === 0) {
        this.note('blank-rows', rowNumber);
        return;
      }
      if (width > headerLength) this.note('more-cells', rowNumber);
      else if (this.#reportShortRows && cells.length < headerLength) this.note('fewer-cells', rowNumber);
      if (width > this.#width) this.#width = width;
    }
    const stored: StoredRow = [rowNumber, ...cells];
    this.rowCount++;
    this.#sink.write(stored);
  }

  #buildNotes(messages: Partial<Record<ReadNoteKind, (count: number) => string>>): ReadNote[] {
    const headerCells = this.#reportShortRows ? this.#header.length : filledWidth(this.#header);
    const wording: Partial<Record<ReadNoteKind, (count: number) => string>> = {
      'more-cells': (count) =>
        `${plural(count, 'row has', 'rows have')} more cells than the header row (${headerCells}); the extra ` +
        `cells are kept in columns named ${columnLetter(headerCells)} onwards.`,
      'fewer-cells': (count) =>
        `${plural(count, 'row has', 'rows have')} fewer cells than the header row (${headerCells}); the missing cells are blank.`,
      'blank-rows': (count) => `${plural(count, 'blank row was', 'blank rows were')} skipped.`,
      ...messages,
    };
    const order: ReadNoteKind[] = ['more-cells', 'fewer-cells', 'blank-rows', 'nul-characters', 'undecodable-text'];
    const notes: ReadNote[] = [];
    for (const kind of order) {
      const bucket = this.#counts.get(kind);
      const word = wording[kind];
      if (bucket && word) notes.push({ kind, count: bucket.count, rows: bucket.rows, message: word(bucket.count) });
    }
    return notes;
  }
}

export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** Whether a row's first cell has something in it (most rows start with an ID): a blank row never does. */
function startsFilled(cell: string | undefined): boolean {
  if (cell === undefined || cell === '') return false;
  const first = cell.charCodeAt(0);
  // Only a cell that starts with white space (or any non-ASCII character) needs trimming to tell.
  return (first > 32 && first < 128) || cell.trim() !== '';
}
