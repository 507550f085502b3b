import { stat } from 'node:fs/promises';
import type { XmlTag } from './xml-scanner.ts';
import { RowCollector } from './collector.ts';
import { ReadError, explainIoError } from './errors.ts';
import { MAX_CELL_CHARS, MAX_COLUMNS, SheetLimits, repeatCount } from './limits.ts';
import type { Reader, SheetInfo } from './types.ts';
import { chooseSheet, damaged, localName, openZip, parseXml, workbookResult, type Entry, type Zip } from './zip-xml.ts';

/**
 * Reads one sheet of an OpenDocument spreadsheet (.ods, from LibreOffice or Google Sheets) as a stream of rows.
 * Values are taken as the user sees them: text as written (paragraphs joined by line breaks), numbers, currencies
 * and percentages by their stored value, dates and times as ISO 8601, booleans as TRUE/FALSE. Repeated rows and
 * cells (how ODS stores blank ranges) are expanded only where data follows them, within Excel's limits and the
 * caps of `limits.ts`: a hostile or damaged file is refused with a ReadError saying what is wrong.
 */
export const readOdsFile: Reader = async (path, fileName, settings, sink, control) => {
  let zip: Zip | undefined;
  try {
    const fileSize = (await stat(path)).size;
    zip = await openZip(path, fileName);
    const content = zip.entries.get('content.xml');
    if (!content) throw damaged(fileName);
    // First pass: the sheets and how many rows each has up to its last row with data (counted, not expanded).
    const sheets: SheetInfo[] = [];
    await walkSheets(zip, content, control.signal, {
      sheet: (name) => sheets.push({ name, rows: 0 }),
      lastRow: (rowNumber) => {
        const last = sheets.at(-1);
        if (last) last.rows = rowNumber;
      },
    });
    const sheet = chooseSheet(sheets, settings.sheet, fileName);
    // Second pass: the chosen sheet's rows.
    const rows = new RowCollector({ fileName, sink, headerRow: settings.headerRow, reportShortRows: false });
    const total = Math.max(1, content.uncompressedSize);
    await walkSheets(
      zip,
      content,
      control.signal,
      {
        only: sheet.name,
        row: (cells, rowNumber) => rows.accept(rowNumber, cells),
        progress: (bytes) => control.onProgress(Math.floor(fileSize * Math.min(1, bytes / total)), rows.rowCount),
      },
      () => rows.drain(),
    );
    return workbookResult('ods', sheet.name, sheets, rows);
  } catch (error) {
    if (error instanceof ReadError) throw error;
    if ((error as { code?: string }).code === 'ENOENT') throw explainIoError(error, fileName);
    throw damaged(fileName);
  } finally {
    zip?.file.close();
  }
};

interface Walker {
  /** Read only this sheet's rows. */
  only?: string;
  sheet?: (name: string) => void;
  /** A row with data, its cells (trailing blanks dropped) and its row number in the sheet. */
  row?: (cells: string[], rowNumber: number) => void;
  /** Without `row`, rows are only counted: the number of the last row with data so far. */
  lastRow?: (rowNumber: number) => void;
  progress?: (bytes: number) => void;
}

/**
 * Walks the sheets' rows. Repeats are expanded only between and into cells with values — never the blank columns
 * and rows LibreOffice writes at the end of a sheet — and only within Excel's limits and the caps of `limits.ts`.
 */
async function walkSheets(
  zip: Zip,
  entry: Entry,
  signal: AbortSignal,
  walker: Walker,
  drain?: () => Promise<void> | undefined,
): Promise<void> {
  const counting = walker.row === undefined;
  let sheetName: string | null = null;
  let limits = new SheetLimits('', signal);
  let active = false;
  let rowNumber = 0;
  let rowRepeat = 1;
  let rowHasValue = false;
  let cells: string[] = [];
  /** Blank cells seen since the last cell with a value: written only if a value follows. */
  let pendingBlanks = 0;
  let cellRepeat = 1;
  let cellValue: string | null = null;
  let cellChars = 0;
  let paragraphs: string[] | null = null;
  let paragraph: string[] = [];
  let inParagraph = false;
  let depth = 0;
  let bytes = 0;

  const openCell = (tag: XmlTag) => {
    const a = tag.attributes;
    cellRepeat = repeatCount(a['table:number-columns-repeated']);
    paragraphs = null;
    cellChars = 0;
    switch (a['office:value-type']) {
      case 'float':
      case 'percentage':
      case 'currency':
        cellValue = a['office:value'] ?? null;
        break;
      case 'date':
        cellValue = a['office:date-value'] ?? null;
        break;
      case 'time':
        cellValue = isoDuration(a['office:time-value']);
        break;
      case 'boolean':
        cellValue = a['office:boolean-value'] === 'true' ? 'TRUE' : 'FALSE';
        break;
      case 'string':
        cellValue = a['office:string-value'] ?? null;
        if (cellValue === null) paragraphs = [];
        break;
      default:
        cellValue = null;
    }
  };

  const closeCell = () => {
    const text = cellValue ?? (paragraphs ? paragraphs.join('\n') : '');
    if (text === '') {
      pendingBlanks += cellRepeat;
      return;
    }
    rowHasValue = true;
    if (counting) return;
    const last = cells.length + pendingBlanks + cellRepeat - 1;
    if (last >= MAX_COLUMNS) limits.column(last);
    if (pendingBlanks > 0 || cellRepeat > 1) {
      limits.expand(pendingBlanks + cellRepeat - 1);
      limits.reuseText(text.length * (cellRepeat - 1));
      for (let i = 0; i < pendingBlanks; i++) cells.push('');
      pendingBlanks = 0;
      for (let i = 0; i < cellRepeat; i++) cells.push(text);
    } else cells.push(text);
  };

  const closeRow = () => {
    if (!rowHasValue) {
      rowNumber += rowRepeat; // Blank rows, however many, are only counted.
      return;
    }
    if (!walker.row) {
      rowNumber += rowRepeat;
      walker.lastRow?.(rowNumber);
      return;
    }
    limits.lastRow(rowNumber + rowRepeat);
    if (rowRepeat > 1) {
      limits.expand(cells.length * (rowRepeat - 1));
      let chars = 0;
      for (const cell of cells) chars += cell.length;
      limits.reuseText(chars * (rowRepeat - 1));
    }
    walker.row(cells, ++rowNumber);
    for (let i = 1; i < rowRepeat; i++) {
      limits.repeatedRow();
      walker.row([...cells], ++rowNumber);
    }
  };

  const addText = (text: string) => {
    cellChars += text.length;
    if (cellChars > MAX_CELL_CHARS) limits.cellText(cellChars);
    paragraph.push(text);
  };

  await parseXml(
    zip,
    entry,
    (tag) => {
      const name = localName(tag.name);
      if (name === 'table') {
        sheetName = tag.attributes['table:name'] ?? `Sheet ${depth + 1}`;
        depth++;
        active = walker.only === undefined || walker.only === sheetName;
        rowNumber = 0;
        limits = new SheetLimits(sheetName, signal);
        walker.sheet?.(sheetName);
        return;
      }
      if (!active) return;
      switch (name) {
        case 'table-row':
          rowRepeat = repeatCount(tag.attributes['table:number-rows-repeated']);
          limits.row(rowNumber + 1);
          cells = [];
          pendingBlanks = 0;
          rowHasValue = false;
          return;
        case 'table-cell':
        case 'covered-table-cell':
          openCell(tag);
          return;
        case 'p':
          if (paragraphs) {
            inParagraph = true;
            paragraph = [];
          }
          return;
        case 's':
          if (inParagraph) {
            const spaces = repeatCount(tag.attributes['text:c']);
            if (cellChars + spaces > MAX_CELL_CHARS) limits.cellText(cellChars + spaces);
            limits.reuseText(spaces);
            addText(' '.repeat(spaces));
          }
          return;
        case 'tab':
          if (inParagraph) addText('\t');
          return;
        case 'line-break':
          if (inParagraph) addText('\n');
          return;
      }
    },
    {
      text: (text) => {
        if (inParagraph) addText(text);
      },
      close: (name) => {
        if (name === 'table') {
          active = false;
          return;
        }
        if (!active) return;
        switch (name) {
          case 'p':
            if (inParagraph && paragraphs) paragraphs.push(paragraph.join(''));
            inParagraph = false;
            return;
          case 'table-cell':
          case 'covered-table-cell':
            closeCell();
            return;
          case 'table-row':
            closeRow();
            return;
        }
      },
      progress: (chunk) => {
        bytes += chunk;
        walker.progress?.(bytes);
      },
      ...(drain ? { drain } : {}),
      signal,
    },
  );
}

/** An ODS time value (`PT13H30M00S`) as `13:30:00`. */
function isoDuration(value: string | undefined): string | null {
  const match = /^PT(\d+)H(\d+)M(\d+)(?:[.,]\d+)?S$/.exec(value ?? '');
  if (!match) return value ?? null;
  return match
    .slice(1, 4)
    .map((part) => (part ?? '0').padStart(2, '0'))
    .join(':');
}
