import { stat } from 'node:fs/promises';
import type { XmlTag } from './xml-scanner.ts';
import { RowCollector } from './collector.ts';
import { ReadError } from './errors.ts';
import type { ReadControl, ReadResult, ReadSettings, RowSink, SheetInfo } from './types.ts';
import { chooseSheet, damaged, localName, openZip, parseXml, workbookResult, type Entry, type Zip } from './zip-xml.ts';

/**
 * Reads one sheet of an OpenDocument spreadsheet (.ods, from LibreOffice or Google Sheets) as a stream of rows.
 * Values are taken as the user sees them: text as written (paragraphs joined by line breaks), numbers, currencies
 * and percentages by their stored value, dates and times as ISO 8601, booleans as TRUE/FALSE. Repeated rows and
 * cells (how ODS stores blank ranges) are expanded only where data follows them.
 */
export async function readOdsFile(
  path: string,
  fileName: string,
  settings: ReadSettings,
  sink: RowSink,
  control: ReadControl,
): Promise<ReadResult> {
  const fileSize = (await stat(path)).size;
  const zip = await openZip(path, fileName);
  try {
    const content = zip.entries.get('content.xml');
    if (!content) throw damaged(fileName);
    // First pass: the sheets and how many rows each has up to its last row with data.
    const sheets: SheetInfo[] = [];
    await walkSheets(zip, content, {
      sheet: (name) => sheets.push({ name, rows: 0 }),
      row: (_cells, rowNumber) => {
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
      {
        only: sheet.name,
        row: (cells, rowNumber) => rows.accept(rowNumber, cells),
        progress: (bytes) => {
          if (control.signal.aborted) throw new ReadError('CANCELLED', 'Reading was cancelled.');
          control.onProgress(Math.floor(fileSize * Math.min(1, bytes / total)), rows.rowCount);
        },
      },
      () => rows.drain(),
    );
    return workbookResult('ods', sheet.name, sheets, rows);
  } catch (error) {
    if (error instanceof ReadError) throw error;
    throw damaged(fileName);
  } finally {
    zip.file.close();
  }
}

interface Walker {
  /** Read only this sheet's rows. */
  only?: string;
  sheet?: (name: string) => void;
  /** A row with data, its cells (trailing blanks dropped) and its row number in the sheet. */
  row: (cells: string[], rowNumber: number) => void;
  progress?: (bytes: number) => void;
}

/** At most this many repeated cells are expanded; more than that is a blank range, not data. */
const MAX_REPEAT = 16_384;

async function walkSheets(
  zip: Zip,
  entry: Entry,
  walker: Walker,
  drain?: () => Promise<void> | undefined,
): Promise<void> {
  let sheetName: string | null = null;
  let active = false;
  let rowNumber = 0;
  let rowRepeat = 1;
  let cells: string[] = [];
  /** Blank cells seen since the last cell with a value: written only if a value follows. */
  let pendingBlanks = 0;
  let cellRepeat = 1;
  let cellValue: string | null = null;
  let paragraphs: string[] | null = null;
  let paragraph: string[] = [];
  let inParagraph = false;
  let depth = 0;
  let bytes = 0;

  const openCell = (tag: XmlTag) => {
    const a = tag.attributes;
    cellRepeat = Math.min(MAX_REPEAT, Number(a['table:number-columns-repeated'] ?? 1) || 1);
    paragraphs = null;
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
    for (let i = 0; i < pendingBlanks; i++) cells.push('');
    pendingBlanks = 0;
    for (let i = 0; i < cellRepeat; i++) cells.push(text);
  };

  await parseXml(
    zip.file,
    entry,
    (tag) => {
      const name = localName(tag.name);
      if (name === 'table') {
        sheetName = tag.attributes['table:name'] ?? `Sheet ${depth + 1}`;
        depth++;
        active = walker.only === undefined || walker.only === sheetName;
        rowNumber = 0;
        walker.sheet?.(sheetName);
        return;
      }
      if (!active) return;
      switch (name) {
        case 'table-row':
          rowRepeat = Number(tag.attributes['table:number-rows-repeated'] ?? 1) || 1;
          cells = [];
          pendingBlanks = 0;
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
          if (inParagraph) paragraph.push(' '.repeat(Number(tag.attributes['text:c'] ?? 1) || 1));
          return;
        case 'tab':
          if (inParagraph) paragraph.push('\t');
          return;
        case 'line-break':
          if (inParagraph) paragraph.push('\n');
          return;
      }
    },
    {
      text: (text) => {
        if (inParagraph) paragraph.push(text);
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
            if (cells.length === 0) {
              rowNumber += rowRepeat; // Blank rows, however many, are only counted.
              return;
            }
            for (let i = 0; i < Math.min(rowRepeat, MAX_REPEAT); i++)
              walker.row(i === 0 ? cells : [...cells], ++rowNumber);
            return;
        }
      },
      progress: (chunk) => {
        bytes += chunk;
        walker.progress?.(bytes);
      },
      ...(drain ? { drain } : {}),
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
