import { open } from 'node:fs/promises';
import Papa from 'papaparse';
import { extname } from 'node:path';
import { ReadError, explainIoError } from './errors.ts';
import { RowCollector, plural } from './collector.ts';
import { detectDelimiter, type Delimiter } from './detect.ts';
import { detectEncoding, SNIFF_BYTES, type Encoding } from './sniff.ts';
import type { ReadControl, ReadResult, ReadSettings, RowSink } from './types.ts';

const CHUNK_BYTES = 1024 * 1024;
/** A row left unfinished at a chunk's end and longer than this is parsed again only once the text behind it doubles. */
const LONG_ROW = 1024 * 1024;

/**
 * Reads a delimited text file (CSV, TSV, semicolon- or pipe-separated; `readSpreadsheet` has recognised it) as
 * a stream: bytes are decoded to text in
 * the detected (or chosen) encoding before parsing, so multi-byte characters are never split; line endings are
 * normalised outside quoted cells, so files that mix them read correctly while a quoted cell keeps its own; the
 * header row is chosen after the first rows are seen. Rows go to `sink` in order, each with its row number in
 * the file, and memory stays flat whatever the file's size.
 */
export async function readDelimitedFile(
  path: string,
  fileName: string,
  settings: ReadSettings,
  sink: RowSink,
  control: ReadControl,
): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw explainIoError(error, fileName);
  }
  try {
    const before = await handle.stat();
    if (before.isDirectory()) throw new ReadError('UNREADABLE', `“${fileName}” is a folder, not a file.`);
    if (before.size === 0) throw new ReadError('EMPTY', `“${fileName}” is empty: there is nothing in it to import.`);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const first = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, before.size), 0);
    const head = buffer.subarray(0, Math.min(first.bytesRead, SNIFF_BYTES));
    const detectedEncoding = detectEncoding(head);
    const encoding = settings.encoding ?? detectedEncoding;
    const parser = new DelimitedParser(fileName, settings, sink, encoding, detectedEncoding, extname(fileName));

    let position = 0;
    let bytesRead = first.bytesRead;
    while (bytesRead > 0) {
      if (control.signal.aborted) throw new ReadError('CANCELLED', 'Reading was cancelled.');
      parser.push(buffer.subarray(0, bytesRead), false);
      await sink.drain?.();
      position += bytesRead;
      control.onProgress(position, parser.rowCount);
      ({ bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position));
    }
    const after = await handle.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || position !== before.size) {
      throw new ReadError(
        'FILE_CHANGED',
        `“${fileName}” changed while it was being read. Wait until it has finished saving, then open it again.`,
      );
    }
    return parser.finish();
  } catch (error) {
    throw explainIoError(error, fileName);
  } finally {
    await handle.close();
  }
}

class DelimitedParser {
  readonly #settings: ReadSettings;
  readonly #encoding: Encoding;
  readonly #detectedEncoding: Encoding;
  readonly #extension: string;
  readonly #decoder: TextDecoder;
  readonly #rows: RowCollector;
  #parser: Papa.Parser | null = null;
  #delimiter: Delimiter | null = null;
  #detectedDelimiter: Delimiter = ',';
  /** Text not yet parsed: the start of a row that continues in the next chunk. */
  #rest = '';
  /**
   * Text held back behind a long unfinished row (a 50 MB cell, a quote never closed) until `#rest` and it reach
   * `#waiting` characters: each character is parsed a bounded number of times, so time stays linear.
   */
  #pending: string[] = [];
  #pendingLength = 0;
  #waiting = 0;
  /** Whether the text so far ends inside a quoted cell. */
  #inQuotes = false;
  /** The previous chunk ended in a carriage return, so a line feed starting this one belongs to it. */
  #pendingCr = false;
  #recordNumber = 0;

  constructor(
    fileName: string,
    settings: ReadSettings,
    sink: RowSink,
    encoding: Encoding,
    detectedEncoding: Encoding,
    extension: string,
  ) {
    this.#settings = settings;
    this.#encoding = encoding;
    this.#detectedEncoding = detectedEncoding;
    this.#extension = extension.toLowerCase();
    // The BOM is removed by the decoder, so it never reaches the first header cell.
    this.#decoder = new TextDecoder(encoding);
    this.#rows = new RowCollector({ fileName, sink, headerRow: settings.headerRow, reportShortRows: true });
  }

  get rowCount(): number {
    return this.#rows.rowCount;
  }

  push(bytes: Uint8Array, final: boolean): void {
    const text = this.#decoder.decode(bytes, { stream: !final });
    this.#parseText(this.#normalise(text, final), final);
  }

  finish(): ReadResult {
    this.push(new Uint8Array(0), true);
    const { headerRow, detectedHeaderRow, columns, notes } = this.#rows.finish({
      'nul-characters': (count) =>
        `${plural(count, 'row contains', 'rows contain')} NUL characters (invisible, usually from a faulty export); they were removed.`,
      'undecodable-text': (count) =>
        `${plural(count, 'row has', 'rows have')} characters that are not valid ${this.#encoding.toUpperCase()} ` +
        '(shown as �). The file may use another encoding: try choosing one.',
    });
    return {
      format: 'delimited',
      sheet: null,
      sheets: [],
      encoding: this.#encoding,
      delimiter: this.#delimiter ?? ',',
      headerRow,
      columns,
      rowCount: this.#rows.rowCount,
      notes,
      detected: { encoding: this.#detectedEncoding, delimiter: this.#detectedDelimiter, headerRow: detectedHeaderRow },
    };
  }

  /**
   * Line endings outside quoted cells become `\n` (CRLF, and lone CR from old Mac files); inside quotes they are
   * kept as written. Chunks without a carriage return only need their quotes counted.
   */
  #normalise(text: string, final: boolean): string {
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    if (text.indexOf('\r') === -1) {
      for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) this.#inQuotes = !this.#inQuotes;
      return text;
    }
    let out = '';
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 34) this.#inQuotes = !this.#inQuotes;
      else if (char === 13 && !this.#inQuotes) {
        out += text.slice(from, i) + '\n';
        if (text.charCodeAt(i + 1) === 10) i++;
        else if (i === text.length - 1 && !final) this.#pendingCr = true;
        from = i + 1;
      }
    }
    return out + text.slice(from);
  }

  #parseText(text: string, final: boolean): void {
    if (this.#waiting > 0) {
      this.#pending.push(text);
      this.#pendingLength += text.length;
      if (!final && this.#rest.length + this.#pendingLength < this.#waiting) return;
      text = this.#pending.join('');
      this.#pending = [];
      this.#pendingLength = 0;
      this.#waiting = 0;
    }
    const input = this.#rest + text;
    if (!this.#parser) {
      if (!final && input.length < SNIFF_BYTES) {
        this.#rest = input;
        return;
      }
      this.#detectedDelimiter = detectDelimiter(
        input.slice(0, SNIFF_BYTES),
        this.#extension === '.tsv' || this.#extension === '.tab' ? '\t' : ',',
      );
      this.#delimiter = this.#settings.delimiter ?? this.#detectedDelimiter;
      this.#parser = new Papa.Parser({ delimiter: this.#delimiter, newline: '\n' });
    }
    const result = this.#parser.parse(input, 0, !final) as {
      data: string[][];
      errors: Papa.ParseError[];
      meta: { cursor: number };
    };
    this.#rest = final ? '' : input.slice(result.meta.cursor);
    if (this.#rest.length > LONG_ROW) this.#waiting = this.#rest.length * 2;
    // Input that ends with a line break yields one empty record after it, which is not a row.
    if (final && input.endsWith('\n') && result.data.at(-1)?.join('') === '' && result.data.at(-1)?.length === 1) {
      result.data.pop();
    }
    const hasNul = input.includes('\0');
    const hasUndecodable = input.includes('\uFFFD') && this.#encoding !== 'windows-1252';
    for (const row of result.data) {
      const rowNumber = ++this.#recordNumber;
      if (hasNul && stripNul(row)) this.#rows.note('nul-characters', rowNumber);
      if (hasUndecodable && row.some((cell) => cell.includes('\uFFFD'))) this.#rows.note('undecodable-text', rowNumber);
      this.#rows.accept(rowNumber, row);
    }
    if (final && result.errors.some((error) => error.code === 'MissingQuotes')) {
      const row = this.#recordNumber;
      this.#rows.addNote({
        kind: 'unclosed-quote',
        count: 1,
        rows: [row],
        message: `Row ${row} opens a quote (") that is never closed, so everything after it was read into one cell. Check that row in your spreadsheet.`,
      });
    }
  }
}

/** Removes NUL characters from a row's cells; true when there were any. */
function stripNul(row: string[]): boolean {
  let found = false;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i] ?? '';
    if (cell.includes('\0')) {
      row[i] = cell.replaceAll('\0', '');
      found = true;
    }
  }
  return found;
}
