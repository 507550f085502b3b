import { stat } from 'node:fs/promises';
import type { ZipFile } from 'yauzl';
import { RowCollector } from './collector.ts';
import { ReadError, explainIoError } from './errors.ts';
import { excelSerialToIso, isDateFormat } from './excel-dates.ts';
import type { ReadControl, ReadResult, ReadSettings, RowSink, SheetInfo } from './types.ts';
import { chooseSheet, damaged, localName, openZip, parseXml, workbookResult, type Entry } from './zip-xml.ts';

interface Sheet extends SheetInfo {
  path: string;
  hidden: boolean;
}

interface Workbook {
  zip: ZipFile;
  entries: Map<string, Entry>;
  sheets: Sheet[];
  date1904: boolean;
}

/**
 * Reads one worksheet of an Excel workbook (.xlsx, .xlsm) as a stream of rows: cells as the user sees their
 * values — shared and inline strings, numbers exactly as stored, dates (by their number format, in the 1900 or
 * 1904 system) as ISO 8601, formulas by their cached result, TRUE/FALSE, error values — with Excel's own row
 * numbers. Only the shared strings are held in memory.
 */
export async function readXlsxFile(
  path: string,
  fileName: string,
  settings: ReadSettings,
  sink: RowSink,
  control: ReadControl,
): Promise<ReadResult> {
  const fileSize = (await stat(path)).size;
  const workbook = await openWorkbook(path, fileName);
  try {
    const sheet = chooseSheet(workbook.sheets, settings.sheet, fileName);
    const [strings, dateStyles] = await Promise.all([readSharedStrings(workbook), readDateStyles(workbook)]);
    const rows = new RowCollector({ fileName, sink, headerRow: settings.headerRow, reportShortRows: false });
    const entry = workbook.entries.get(sheet.path);
    if (!entry) throw damaged(fileName);
    await readSheet(workbook, entry, { strings, dateStyles, rows, control, fileSize });
    return workbookResult('xlsx', sheet.name, workbook.sheets, rows);
  } catch (error) {
    if (error instanceof ReadError) throw error;
    if ((error as { code?: string }).code === 'ENOENT') throw explainIoError(error, fileName);
    throw damaged(fileName);
  } finally {
    workbook.zip.close();
  }
}

async function openWorkbook(path: string, fileName: string): Promise<Workbook> {
  const { file: zip, entries } = await openZip(path, fileName);
  try {
    const relationships = new Map<string, string>();
    await parseXml(zip, entries.get('xl/_rels/workbook.xml.rels'), (tag) => {
      if (localName(tag.name) === 'Relationship' && tag.attributes.Id && tag.attributes.Target) {
        const target = tag.attributes.Target;
        relationships.set(tag.attributes.Id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
      }
    });
    const sheets: Sheet[] = [];
    let date1904 = false;
    const workbookEntry = entries.get('xl/workbook.xml');
    if (!workbookEntry) throw damaged(fileName);
    await parseXml(zip, workbookEntry, (tag) => {
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
    });
    for (const sheet of sheets) sheet.rows = await sheetDimensionRows(zip, entries.get(sheet.path));
    return { zip, entries, sheets, date1904 };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/** Rows a sheet says it has (`<dimension ref="A1:T1001">`), read from its first bytes only. */
async function sheetDimensionRows(zip: ZipFile, entry: Entry | undefined): Promise<number | null> {
  if (!entry) return null;
  let rows: number | null = null;
  await parseXml(zip, entry, (tag, stop) => {
    const name = localName(tag.name);
    if (name === 'dimension') {
      const match = /(\d+)$/.exec(tag.attributes.ref ?? '');
      const first = /^[A-Z]+(\d+)/.exec(tag.attributes.ref ?? '');
      if (match?.[1]) rows = Number(match[1]) - Number(first?.[1] ?? 1) + 1;
      stop();
    } else if (name === 'sheetData') stop();
  });
  return rows;
}

async function readSharedStrings(workbook: Workbook): Promise<string[]> {
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  let inPhonetic = false;
  await parseXml(
    workbook.zip,
    workbook.entries.get('xl/sharedStrings.xml'),
    (tag) => {
      const name = localName(tag.name);
      if (name === 'si') current = [];
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && !inPhonetic) inText = true;
    },
    {
      text: (text) => {
        if (inText && current) current.push(text);
      },
      close: (name) => {
        if (name === 't') inText = false;
        else if (name === 'rPh') inPhonetic = false;
        else if (name === 'si' && current) {
          strings.push(unescapeOoxml(current.join('')));
          current = null;
        }
      },
    },
  );
  return strings;
}

/** Which cell styles (by index) show numbers as dates. */
async function readDateStyles(workbook: Workbook): Promise<Set<number>> {
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
    { close: (name) => name === 'cellXfs' && (inCellXfs = false) },
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
}

async function readSheet(workbook: Workbook, entry: Entry, context: SheetContext): Promise<void> {
  const { strings, dateStyles, rows, control, fileSize } = context;
  const total = Math.max(1, entry.uncompressedSize);
  let rowNumber = 0;
  let cells: string[] = [];
  let column = 0;
  let type = 'n';
  let style = 0;
  let value: string[] = [];
  let inValue = false;
  let inInline = false;
  let bytesRead = 0;

  const cellText = (): string => {
    const raw = value.join('');
    switch (type) {
      case 's':
        return strings[Number(raw)] ?? '';
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
        return excelSerialToIso(Number(raw), workbook.date1904) ?? raw;
      }
    }
  };

  await parseXml(
    workbook.zip,
    entry,
    (tag) => {
      switch (localName(tag.name)) {
        case 'row': {
          const next = Number(tag.attributes.r) || rowNumber + 1;
          cells = [];
          rowNumber = next;
          column = 0;
          return;
        }
        case 'c': {
          const ref = tag.attributes.r;
          column = ref ? columnIndex(ref) : column;
          type = tag.attributes.t ?? 'n';
          style = Number(tag.attributes.s ?? 0);
          value = [];
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
    {
      text: (text) => {
        if (inValue) value.push(text);
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
            const text = cellText();
            if (text !== '') {
              while (cells.length < column) cells.push('');
              cells[column] = text;
            }
            column++;
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
        if (control.signal.aborted) throw new ReadError('CANCELLED', 'Reading was cancelled.');
        control.onProgress(Math.floor(fileSize * Math.min(1, bytesRead / total)), rows.rowCount);
      },
      drain: () => rows.drain(),
    },
  );
}

/** 0-based column index of a cell reference such as `AB12`. */
function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
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
