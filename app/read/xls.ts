import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import CFB from 'cfb';
import { RowCollector } from './collector.ts';
import { ReadError, cancelled, damagedWorkbook as damaged, explainIoError, passwordProtected } from './errors.ts';
import { excelSerialToIso, isDateFormat } from './excel-dates.ts';
import { MAX_COLUMNS, SheetLimits } from './limits.ts';
import type { Reader, SheetInfo } from './types.ts';
import { chooseSheet, workbookResult } from './zip-xml.ts';
import { Cursor, ERRORS, R, decodeRk, records, type BiffRecord } from './biff.ts';

interface Sheet extends SheetInfo {
  offset: number;
  hidden: boolean;
}

/**
 * Reads one worksheet of an Excel 97–2003 workbook (.xls, BIFF8): strings from the shared string table, numbers
 * as stored, dates (by their number format, in the 1900 or 1904 system) as ISO 8601, formulas by their cached
 * result, TRUE/FALSE and error values, with Excel's row numbers. The file is at most a few tens of megabytes
 * (the format stops at 65,536 rows), so it is read into memory; rows still go to the sink one by one.
 */
export const readXlsFile: Reader = async (path, fileName, settings, sink, control) => {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw explainIoError(error, fileName);
  }
  const stream = workbookStream(bytes, fileName);
  try {
    const globals = readGlobals(stream, fileName);
    const sheet = chooseSheet(globals.sheets, settings.sheet, fileName);
    const rows = new RowCollector({ fileName, sink, headerRow: settings.headerRow, reportShortRows: false });
    const limits = new SheetLimits(sheet.name, control.signal);
    await readSheet(stream, sheet.offset, globals, rows, limits, (position) => {
      if (control.signal.aborted) throw cancelled();
      control.onProgress(Math.floor(bytes.length * Math.min(1, position / stream.length)), rows.rowCount);
    });
    return workbookResult('xls', sheet.name, globals.sheets, rows);
  } catch (error) {
    if (error instanceof ReadError) throw error;
    throw damaged(fileName);
  }
};

/** The Workbook stream inside the Office container. */
function workbookStream(bytes: Buffer, fileName: string): Buffer {
  let container: CFB.CFB$Container;
  try {
    container = CFB.read(bytes, { type: 'buffer' });
  } catch {
    throw damaged(fileName);
  }
  const entry = CFB.find(container, 'Workbook') ?? CFB.find(container, 'WORKBOOK');
  if (!entry) {
    if (CFB.find(container, 'Book')) {
      throw new ReadError(
        'UNSUPPORTED_FORMAT',
        `“${fileName}” is from Excel 95 or older, which the app cannot read. In Excel, save it as “Excel Workbook ` +
          '(.xlsx)” and open that file instead.',
      );
    }
    if (CFB.find(container, 'EncryptedPackage')) throw passwordProtected(fileName);
    throw damaged(fileName);
  }
  // A damaged container can name the stream and hold nothing for it.
  if (!entry.content) throw damaged(fileName);
  return Buffer.from(entry.content as Uint8Array);
}

interface Globals {
  sheets: Sheet[];
  strings: string[];
  /** Which XF (cell format) indexes show numbers as dates. */
  dateXfs: Set<number>;
  date1904: boolean;
}

function readGlobals(stream: Buffer, fileName: string): Globals {
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  const sheets: Sheet[] = [];
  let strings: string[] = [];
  let date1904 = false;
  for (const record of records(stream, 0)) {
    const data = record.segments[0] ?? Buffer.alloc(0);
    switch (record.type) {
      case R.FILEPASS:
        throw passwordProtected(fileName);
      case R.DATEMODE:
        date1904 = data.readUInt16LE(0) === 1;
        break;
      case R.FORMAT:
        formats.set(data.readUInt16LE(0), new Cursor([data.subarray(2)]).unicodeString(2));
        break;
      case R.XF:
        xfFormats.push(data.readUInt16LE(2));
        break;
      case R.BOUNDSHEET: {
        const kind = data.readUInt8(5);
        const name = new Cursor([data.subarray(6)]).unicodeString(1);
        if (kind === 0)
          sheets.push({ name, offset: data.readUInt32LE(0), hidden: data.readUInt8(4) !== 0, rows: null });
        break;
      }
      case R.SST:
        strings = readSst(record.segments);
        break;
    }
    if (record.type === R.EOF) break;
  }
  for (const sheet of sheets) sheet.rows = dimensionRows(stream, sheet.offset);
  const dateXfs = new Set<number>();
  xfFormats.forEach((format, index) => isDateFormat(format, formats.get(format)) && dateXfs.add(index));
  return { sheets, strings, dateXfs, date1904 };
}

/** Rows a sheet says it has (its DIMENSIONS record), or null. */
function dimensionRows(stream: Buffer, offset: number): number | null {
  for (const record of records(stream, offset)) {
    if (record.type === R.DIMENSIONS) {
      const data = record.segments[0] ?? Buffer.alloc(0);
      return data.readUInt32LE(4) - data.readUInt32LE(0);
    }
    if (record.type === R.EOF) return null;
  }
  return null;
}

function readSst(segments: Buffer[]): string[] {
  const cursor = new Cursor(segments);
  cursor.skip(4);
  const unique = cursor.u32();
  const strings: string[] = [];
  for (let i = 0; i < unique && !cursor.done; i++) strings.push(cursor.richString());
  return strings;
}

async function readSheet(
  stream: Buffer,
  offset: number,
  globals: Globals,
  rows: RowCollector,
  limits: SheetLimits,
  progress: (position: number) => void,
): Promise<void> {
  const sheet = new SheetRows(rows, limits);
  let pendingFormula: CellAt | null = null;
  let counted = 0;
  let first = true;
  for (const record of records(stream, offset)) {
    if (first) {
      first = false;
      if (record.type !== R.BOF) break;
      continue;
    }
    pendingFormula = putCells(record, globals, sheet, pendingFormula);
    if (++counted % 4096 === 0) {
      progress(record.end);
      await rows.drain();
      // The workbook is all in memory: without this the thread's other events (a Cancel) would wait for the end.
      await nextTurn();
    }
    if (record.type === R.EOF) break;
  }
  sheet.end();
}

interface CellAt {
  row: number;
  col: number;
}

/**
 * Puts the cells one record holds into the sheet, as text: shared and inline strings, numbers (dates by their
 * format), booleans and errors, formulas by their cached result. Returns the formula cell whose text the next
 * record (STRING) carries, if this record is one.
 */
function putCells(
  record: BiffRecord,
  globals: Globals,
  sheet: SheetRows,
  pendingFormula: CellAt | null,
): CellAt | null {
  const data = record.segments[0] ?? Buffer.alloc(0);
  switch (record.type) {
    case R.LABELSST: {
      const text = globals.strings[data.readUInt32LE(6)] ?? '';
      // A long shared string in many cells is text the file does not write out: bounded by the limits.
      if (text.length > 256) sheet.limits.reuseText(text.length);
      sheet.put(data.readUInt16LE(0), data.readUInt16LE(2), text);
      break;
    }
    case R.LABEL:
    case R.RSTRING:
      sheet.put(data.readUInt16LE(0), data.readUInt16LE(2), new Cursor([data.subarray(6)]).unicodeString(2));
      break;
    case R.NUMBER:
      sheet.put(
        data.readUInt16LE(0),
        data.readUInt16LE(2),
        numberText(globals, data.readDoubleLE(6), data.readUInt16LE(4)),
      );
      break;
    case R.RK:
      sheet.put(
        data.readUInt16LE(0),
        data.readUInt16LE(2),
        numberText(globals, decodeRk(data.readInt32LE(6)), data.readUInt16LE(4)),
      );
      break;
    case R.MULRK: {
      const row = data.readUInt16LE(0);
      const firstCol = data.readUInt16LE(2);
      const count = (data.length - 6) / 6;
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 6;
        sheet.put(row, firstCol + i, numberText(globals, decodeRk(data.readInt32LE(at + 2)), data.readUInt16LE(at)));
      }
      break;
    }
    case R.BOOLERR: {
      const value = data.readUInt8(6);
      const text = data.readUInt8(7) === 1 ? (ERRORS[value] ?? '#ERROR') : value ? 'TRUE' : 'FALSE';
      sheet.put(data.readUInt16LE(0), data.readUInt16LE(2), text);
      break;
    }
    case R.FORMULA: {
      const row = data.readUInt16LE(0);
      const col = data.readUInt16LE(2);
      if (data.readUInt16LE(12) !== 0xffff) {
        sheet.put(row, col, numberText(globals, data.readDoubleLE(6), data.readUInt16LE(4)));
        break;
      }
      const kind = data.readUInt8(6);
      if (kind === 0) return { row, col }; // The text follows in a STRING record.
      if (kind === 1) sheet.put(row, col, data.readUInt8(8) ? 'TRUE' : 'FALSE');
      else if (kind === 2) sheet.put(row, col, ERRORS[data.readUInt8(8)] ?? '#ERROR');
      break;
    }
    case R.STRING:
      if (pendingFormula)
        sheet.put(pendingFormula.row, pendingFormula.col, new Cursor(record.segments).unicodeString(2));
      return null;
  }
  return pendingFormula;
}

/** A number as text: as stored, or as an ISO 8601 date when its cell format (XF) shows a date. */
function numberText(globals: Globals, value: number, xf: number): string {
  return globals.dateXfs.has(xf) ? (excelSerialToIso(value, globals.date1904) ?? String(value)) : String(value);
}

/** A sheet's rows as its cells arrive in row order: each row goes to the collector once the next one begins. */
class SheetRows {
  readonly limits: SheetLimits;
  readonly #rows: RowCollector;
  #current = -1;
  #cells: string[] = [];

  constructor(rows: RowCollector, limits: SheetLimits) {
    this.#rows = rows;
    this.limits = limits;
  }

  put(row: number, col: number, text: string): void {
    if (row < this.#current) return; // Out-of-order cells (not written by Excel) are ignored rather than reordered.
    if (row > this.#current) {
      this.#emit();
      this.#current = row;
      this.limits.row(row + 1);
    }
    if (text === '') return;
    if (col >= MAX_COLUMNS) this.limits.column(col);
    if (this.#cells.length < col) {
      this.limits.expand(col - this.#cells.length);
      while (this.#cells.length < col) this.#cells.push('');
    }
    this.#cells[col] = text;
  }

  /** Sends the last row. */
  end(): void {
    this.#emit();
  }

  #emit(): void {
    if (this.#current >= 0 && this.#cells.length > 0) this.#rows.accept(this.#current + 1, this.#cells);
    this.#cells = [];
  }
}
