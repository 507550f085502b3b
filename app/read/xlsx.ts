import { stat } from 'node:fs/promises';
import { RowCollector } from './collector.ts';
import { ReadError, damagedContent, explainIoError } from './errors.ts';
import { excelSerialToIso, isDateFormat } from './excel-dates.ts';
import { MAX_CELL_CHARS, MAX_COLUMNS, SheetLimits } from './limits.ts';
import type { Reader, ReadControl, SheetInfo } from './types.ts';
import type { XmlAttributes } from './xml-scanner.ts';
import { chooseSheet, damaged, localName, openZip, parseXml, workbookResult, type Entry, type Zip } from './zip-xml.ts';

interface Sheet extends SheetInfo {
  path: string;
  hidden: boolean;
}

interface Workbook {
  zip: Zip;
  entries: Map<string, Entry>;
  sheets: Sheet[];
  date1904: boolean;
}

/**
 * Reads one worksheet of an Excel workbook (.xlsx, .xlsm) as a stream of rows: cells as the user sees their
 * values — shared and inline strings, numbers exactly as stored, dates (by their number format, in the 1900 or
 * 1904 system) as ISO 8601, formulas by their cached result, TRUE/FALSE, error values — with Excel's own row
 * numbers. Only the shared strings are held in memory. Excel's limits and the caps in `limits.ts` hold: a hostile
 * file is refused with a ReadError, as is a damaged one, naming what is wrong.
 */
export const readXlsxFile: Reader = async (path, fileName, settings, sink, control) => {
  let workbook: Workbook | undefined;
  try {
    const fileSize = (await stat(path)).size;
    workbook = await openWorkbook(await openZip(path, fileName), control.signal);
    const sheet = chooseSheet(workbook.sheets, settings.sheet, fileName);
    const [strings, dateStyles] = await Promise.all([
      readSharedStrings(workbook, control.signal),
      readDateStyles(workbook, control.signal),
    ]);
    const rows = new RowCollector({ fileName, sink, headerRow: settings.headerRow, reportShortRows: false });
    const entry = workbook.entries.get(sheet.path);
    if (!entry) throw damaged(fileName);
    const limits = new SheetLimits(sheet.name, control.signal);
    await readSheet(workbook, entry, { strings, dateStyles, rows, control, fileSize, limits });
    return workbookResult('xlsx', sheet.name, workbook.sheets, rows);
  } catch (error) {
    if (error instanceof ReadError) throw error;
    if ((error as { code?: string }).code === 'ENOENT') throw explainIoError(error, fileName);
    throw damaged(fileName);
  } finally {
    workbook?.zip.file.close();
  }
};

async function openWorkbook(zip: Zip, signal: AbortSignal): Promise<Workbook> {
  const { entries, fileName } = zip;
  try {
    const relationships = new Map<string, string>();
    await parseXml(
      zip,
      entries.get('xl/_rels/workbook.xml.rels'),
      (tag) => {
        if (localName(tag.name) === 'Relationship' && tag.attributes.Id && tag.attributes.Target) {
          const target = tag.attributes.Target;
          relationships.set(tag.attributes.Id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
        }
      },
      { signal },
    );
    const sheets: Sheet[] = [];
    let date1904 = false;
    const workbookEntry = entries.get('xl/workbook.xml');
    if (!workbookEntry) throw damaged(fileName);
    await parseXml(
      zip,
      workbookEntry,
      (tag) => {
        const name = localName(tag.name);
        if (name === 'workbookPr') date1904 = ['1', 'true'].includes(tag.attributes.date1904 ?? '');
        if (name === 'sheet') {
          const id = Object.entries(tag.attributes).find(([key]) => localName(key) === 'id')?.[1];
          const target = id ? relationships.get(id) : undefined;
          if (target && tag.attributes.name) {
            sheets.push({
              name: tag.attributes.name,
              path: target,
              hidden: (tag.attributes.state ?? 'visible') !== 'visible',
              rows: null,
            });
          }
        }
      },
      { signal },
    );
    // Each part is read once, however many sheets name it (a hostile list could name one large part many times).
    const dimensions = new Map<string, number | null>();
    for (const sheet of sheets) {
      if (!dimensions.has(sheet.path)) {
        dimensions.set(sheet.path, await sheetDimensionRows(zip, entries.get(sheet.path), signal));
      }
      sheet.rows = dimensions.get(sheet.path) ?? null;
    }
    return { zip, entries, sheets, date1904 };
  } catch (error) {
    zip.file.close();
    throw error;
  }
}

/** Rows a sheet says it has (`<dimension ref="A1:T1001">`), read from its first bytes only. */
async function sheetDimensionRows(zip: Zip, entry: Entry | undefined, signal: AbortSignal): Promise<number | null> {
  if (!entry) return null;
  let rows: number | null = null;
  await parseXml(
    zip,
    entry,
    (tag, stop) => {
      const name = localName(tag.name);
      if (name === 'dimension') {
        const match = /(\d+)$/.exec(tag.attributes.ref ?? '');
        const first = /^[A-Z]+(\d+)/.exec(tag.attributes.ref ?? '');
        if (match?.[1]) rows = Number(match[1]) - Number(first?.[1] ?? 1) + 1;
        stop();
      } else if (name === 'sheetData') stop();
    },
    { signal },
  );
  return rows;
}

async function readSharedStrings(workbook: Workbook, signal: AbortSignal): Promise<string[]> {
  const strings: string[] = [];
  let current: string[] | null = null;
  let length = 0;
  let inText = false;
  let inPhonetic = false;
  await parseXml(workbook.zip, workbook.entries.get('xl/sharedStrings.xml'), null, {
    start: (tag) => {
      const name = localName(tag);
      if (name === 'si') {
        current = [];
        length = 0;
      } else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && !inPhonetic) inText = true;
    },
    text: (text) => {
      if (!inText || !current) return;
      current.push(text);
      length += text.length;
      if (length > MAX_CELL_CHARS) {
        throw damagedContent(
          workbook.zip.fileName,
          `one of its shared texts is longer than ${MAX_CELL_CHARS.toLocaleString('en-US')} characters (Excel ` +
            'holds at most 32,767 in a cell).',
        );
      }
    },
    close: (name) => {
      if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si' && current) {
        strings.push(unescapeOoxml(current.join('')));
        current = null;
      }
    },
    signal,
  });
  return strings;
}

/** Which cell styles (by index) show numbers as dates. */
async function readDateStyles(workbook: Workbook, signal: AbortSignal): Promise<Set<number>> {
  const formats = new Map<number, string>();
  const styles: number[] = [];
  let inCellXfs = false;
  await parseXml(
    workbook.zip,
    workbook.entries.get('xl/styles.xml'),
    (tag) => {
      const name = localName(tag.name);
      if (name === 'numFmt') formats.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styles.push(Number(tag.attributes.numFmtId ?? 0));
    },
    { close: (name) => name === 'cellXfs' && (inCellXfs = false), signal },
  );
  const dates = new Set<number>();
  styles.forEach((formatId, index) => isDateFormat(formatId, formats.get(formatId)) && dates.add(index));
  return dates;
}

interface SheetContext {
  strings: string[];
  dateStyles: Set<number>;
  rows: RowCollector;
  control: ReadControl;
  /** Size of the workbook on disk: progress is reported in its bytes. */
  fileSize: number;
  limits: SheetLimits;
}

async function readSheet(workbook: Workbook, entry: Entry, context: SheetContext): Promise<void> {
  const { strings, dateStyles, rows, control, fileSize, limits } = context;
  const { date1904 } = workbook;
  const total = Math.max(1, entry.uncompressedSize);
  let rowNumber = 0;
  let cells: string[] = [];
  let column = 0;
  /** The current cell's reference as written (`B2`), for messages. */
  let reference: string | undefined;
  let type = 'n';
  let style = 0;
  /** The cell's value so far: most values come in one piece, so pieces are joined as they come. */
  let value = '';
  let inValue = false;
  let inInline = false;
  let bytesRead = 0;

  const cellText = (raw: string): string => {
    switch (type) {
      case 's': {
        const text = strings[Number(raw)] ?? '';
        // A long shared string in many cells is text the file does not write out: bounded by the limits.
        if (text.length > 256) limits.reuseText(text.length);
        return text;
      }
      case 'inlineStr':
      case 'str':
        return unescapeOoxml(raw);
      case 'b':
        return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
      case 'e':
      case 'd':
        return raw;
      default: {
        if (raw === '' || !dateStyles.has(style)) return raw;
        return excelSerialToIso(Number(raw), date1904) ?? raw;
      }
    }
  };

  await parseXml(workbook.zip, entry, null, {
    start: (name, attributes) => {
      switch (localName(name)) {
        case 'row': {
          const r = Number(attributes.get('r'));
          const next = r >= 1 && Number.isInteger(r) ? r : rowNumber + 1;
          limits.row(next);
          limits.lastRow(next);
          cells = [];
          rowNumber = next;
          column = 0;
          return;
        }
        case 'c': {
          reference = undefined;
          const r = attributes.index('r');
          if (r !== -1) {
            const index = columnIndex(attributes, r);
            if (index >= 0) column = index;
            // The reference as written is made only for a message: a cell past the last column.
            if (index < 0 || index >= MAX_COLUMNS) reference = attributes.value(r);
          }
          type = attributes.get('t') ?? 'n';
          style = Number(attributes.get('s') ?? 0);
          value = '';
          return;
        }
        case 'v':
          inValue = true;
          return;
        case 'is':
          inInline = true;
          return;
        case 't':
          if (inInline) inValue = true;
          return;
      }
    },
    text: (text) => {
      if (!inValue) return;
      value = value === '' ? text : value + text;
      if (value.length > MAX_CELL_CHARS) limits.cellText(value.length);
    },
    close: (name) => {
      switch (name) {
        case 'v':
        case 't':
          inValue = false;
          return;
        case 'is':
          inInline = false;
          return;
        case 'c': {
          const text = cellText(value);
          value = '';
          if (text !== '') {
            if (column >= MAX_COLUMNS) limits.column(column, reference);
            if (cells.length < column) {
              limits.expand(column - cells.length);
              while (cells.length < column) cells.push('');
            }
            cells[column] = text;
          }
          column++;
          reference = undefined;
          return;
        }
        case 'row':
          rows.accept(rowNumber, cells);
          return;
      }
    },
    /** Bytes of the sheet's XML parsed so far. */
    progress: (bytes) => {
      bytesRead += bytes;
      control.onProgress(Math.floor(fileSize * Math.min(1, bytesRead / total)), rows.rowCount);
    },
    drain: () => rows.drain(),
    signal: control.signal,
  });
}

/**
 * 0-based column index of a cell reference such as `AB12` (the `r`th attribute; -1 without letters); past Excel's
 * last, any larger.
 */
function columnIndex(attributes: XmlAttributes, r: number): number {
  let index = 0;
  const length = attributes.valueLength(r);
  for (let i = 0; i < length && index <= MAX_COLUMNS; i++) {
    const code = attributes.valueCode(r, i);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (a carriage return is `_x000D_`). */
function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
