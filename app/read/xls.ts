import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import CFB from 'cfb';
import { RowCollector } from './collector.ts';
import { ReadError, cancelled, damagedWorkbook as damaged, explainIoError, passwordProtected } from './errors.ts';
import { excelSerialToIso, isDateFormat } from './excel-dates.ts';
import { MAX_COLUMNS, SheetLimits } from './limits.ts';
import type { ReadControl, ReadResult, ReadSettings, RowSink, SheetInfo } from './types.ts';
import { chooseSheet, workbookResult } from './zip-xml.ts';

/** BIFF8 record types this reader understands (MS-XLS §2.3). */
const R = {
  BOF: 0x0809,
  EOF: 0x000a,
  CONTINUE: 0x003c,
  FILEPASS: 0x002f,
  DATEMODE: 0x0022,
  FORMAT: 0x041e,
  XF: 0x00e0,
  BOUNDSHEET: 0x0085,
  SST: 0x00fc,
  DIMENSIONS: 0x0200,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  BOOLERR: 0x0205,
  FORMULA: 0x0006,
  STRING: 0x0207,
} as const;

const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
};

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
export async function readXlsFile(
  path: string,
  fileName: string,
  settings: ReadSettings,
  sink: RowSink,
  control: ReadControl,
): Promise<ReadResult> {
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
}

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
  return Buffer.from(entry.content as Uint8Array);
}

interface Globals {
  sheets: Sheet[];
  strings: string[];
  /** Which XF (cell format) indexes show numbers as dates. */
  dateXfs: Set<number>;
  date1904: boolean;
}

/** One record: its type, and its data with any CONTINUE records that follow it, as separate segments. */
interface BiffRecord {
  type: number;
  segments: Buffer[];
  /** Stream offset just past the record and its continuations. */
  end: number;
}

function* records(stream: Buffer, from: number): Generator<BiffRecord> {
  let position = from;
  while (position + 4 <= stream.length) {
    const type = stream.readUInt16LE(position);
    const length = stream.readUInt16LE(position + 2);
    const segments = [stream.subarray(position + 4, position + 4 + length)];
    position += 4 + length;
    while (position + 4 <= stream.length && stream.readUInt16LE(position) === R.CONTINUE) {
      const more = stream.readUInt16LE(position + 2);
      segments.push(stream.subarray(position + 4, position + 4 + more));
      position += 4 + more;
    }
    yield { type, segments, end: position };
  }
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
  let current = -1;
  let cells: string[] = [];
  let pendingFormula: { row: number; col: number } | null = null;
  let counted = 0;

  const emit = () => {
    if (current >= 0 && cells.length > 0) rows.accept(current + 1, cells);
    cells = [];
  };
  const put = (row: number, col: number, text: string) => {
    if (row < current) return; // Out-of-order cells (not written by Excel) are ignored rather than reordered.
    if (row > current) {
      emit();
      current = row;
      limits.row(row + 1);
    }
    if (text === '') return;
    if (col >= MAX_COLUMNS) limits.column(col);
    if (cells.length < col) {
      limits.expand(col - cells.length);
      while (cells.length < col) cells.push('');
    }
    cells[col] = text;
  };
  const number = (value: number, xf: number) =>
    globals.dateXfs.has(xf) ? (excelSerialToIso(value, globals.date1904) ?? String(value)) : String(value);

  let first = true;
  for (const record of records(stream, offset)) {
    if (first) {
      first = false;
      if (record.type !== R.BOF) break;
      continue;
    }
    const data = record.segments[0] ?? Buffer.alloc(0);
    switch (record.type) {
      case R.LABELSST: {
        const text = globals.strings[data.readUInt32LE(6)] ?? '';
        // A long shared string in many cells is text the file does not write out: bounded by the limits.
        if (text.length > 256) limits.reuseText(text.length);
        put(data.readUInt16LE(0), data.readUInt16LE(2), text);
        break;
      }
      case R.LABEL:
      case R.RSTRING:
        put(data.readUInt16LE(0), data.readUInt16LE(2), new Cursor([data.subarray(6)]).unicodeString(2));
        break;
      case R.NUMBER:
        put(data.readUInt16LE(0), data.readUInt16LE(2), number(data.readDoubleLE(6), data.readUInt16LE(4)));
        break;
      case R.RK:
        put(data.readUInt16LE(0), data.readUInt16LE(2), number(decodeRk(data.readInt32LE(6)), data.readUInt16LE(4)));
        break;
      case R.MULRK: {
        const row = data.readUInt16LE(0);
        const firstCol = data.readUInt16LE(2);
        const count = (data.length - 6) / 6;
        for (let i = 0; i < count; i++) {
          const at = 4 + i * 6;
          put(row, firstCol + i, number(decodeRk(data.readInt32LE(at + 2)), data.readUInt16LE(at)));
        }
        break;
      }
      case R.BOOLERR: {
        const value = data.readUInt8(6);
        const text = data.readUInt8(7) === 1 ? (ERRORS[value] ?? '#ERROR') : value ? 'TRUE' : 'FALSE';
        put(data.readUInt16LE(0), data.readUInt16LE(2), text);
        break;
      }
      case R.FORMULA: {
        const row = data.readUInt16LE(0);
        const col = data.readUInt16LE(2);
        if (data.readUInt16LE(12) !== 0xffff) {
          put(row, col, number(data.readDoubleLE(6), data.readUInt16LE(4)));
          break;
        }
        const kind = data.readUInt8(6);
        if (kind === 0)
          pendingFormula = { row, col }; // The text follows in a STRING record.
        else if (kind === 1) put(row, col, data.readUInt8(8) ? 'TRUE' : 'FALSE');
        else if (kind === 2) put(row, col, ERRORS[data.readUInt8(8)] ?? '#ERROR');
        break;
      }
      case R.STRING:
        if (pendingFormula) put(pendingFormula.row, pendingFormula.col, new Cursor(record.segments).unicodeString(2));
        pendingFormula = null;
        break;
    }
    if (++counted % 4096 === 0) {
      progress(record.end);
      await rows.drain();
      // The workbook is all in memory: without this the thread's other events (a Cancel) would wait for the end.
      await nextTurn();
    }
    if (record.type === R.EOF) break;
  }
  emit();
}

/** An RK number: a 30-bit integer or the top of a double, possibly divided by 100 (MS-XLS §2.5.217). */
function decodeRk(rk: number): number {
  let value: number;
  if (rk & 2) value = rk >> 2;
  else {
    const buffer = Buffer.alloc(8);
    buffer.writeInt32LE(rk & ~3, 4);
    value = buffer.readDoubleLE(0);
  }
  return rk & 1 ? value / 100 : value;
}

/**
 * Reads across a record's CONTINUE segments. Strings that cross into a new segment restart with an option byte
 * saying whether their remaining characters are one or two bytes each (MS-XLS §2.5.293).
 */
class Cursor {
  readonly #segments: Buffer[];
  #segment = 0;
  #position = 0;

  constructor(segments: Buffer[]) {
    this.#segments = segments;
  }

  get done(): boolean {
    return this.#segment >= this.#segments.length;
  }

  skip(bytes: number): void {
    for (let i = 0; i < bytes; i++) this.u8();
  }

  u8(): number {
    let buffer = this.#segments[this.#segment];
    while (buffer && this.#position >= buffer.length) {
      this.#segment++;
      this.#position = 0;
      buffer = this.#segments[this.#segment];
    }
    if (!buffer) throw new RangeError('Record ended early.');
    return buffer.readUInt8(this.#position++);
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  /** XLUnicodeString (`lengthBytes` 2) or ShortXLUnicodeString (1), without formatting runs. */
  unicodeString(lengthBytes: 1 | 2): string {
    const count = lengthBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    return this.#chars(count, (flags & 1) === 1);
  }

  /** XLUnicodeRichExtendedString, as the shared string table stores them. */
  richString(): string {
    const count = this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const extended = flags & 0x04 ? this.u32() : 0;
    const text = this.#chars(count, (flags & 1) === 1);
    this.skip(runs * 4 + extended);
    return text;
  }

  #chars(count: number, wide: boolean): string {
    let text = '';
    let remaining = count;
    while (remaining > 0) {
      let buffer = this.#segments[this.#segment];
      if (buffer && this.#position >= buffer.length) {
        // A string continued in the next segment: its option byte says how wide the rest of its characters are.
        this.#segment++;
        this.#position = 0;
        buffer = this.#segments[this.#segment];
        if (!buffer) break;
        wide = (buffer.readUInt8(this.#position++) & 1) === 1;
      }
      if (!buffer) throw new RangeError('Record ended early.');
      const available = Math.floor((buffer.length - this.#position) / (wide ? 2 : 1));
      const take = Math.min(remaining, available);
      const end = this.#position + take * (wide ? 2 : 1);
      text += buffer.toString(wide ? 'utf16le' : 'latin1', this.#position, end);
      this.#position = end;
      remaining -= take;
      if (take === 0 && available === 0 && this.#position < buffer.length) throw new RangeError('Misaligned string.');
    }
    return text;
  }
}
