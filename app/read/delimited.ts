import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { describeMisdecoding, findMisdecoding, type Misdecoding } from './mojibake.ts';
import { ReadError, explainIoError } from './errors.ts';
import { RowCollector, plural } from './collector.ts';
import { columnLetter, detectDelimiter, type Delimiter } from './detect.ts';
import { detectEncoding, SNIFF_BYTES, type EncodingDetection } from './sniff.ts';
import type { Reader, ReadResult, ReadSettings, RowSink } from './types.ts';

/** Bytes read from disk at a time. */
const READ_BYTES = 1024 * 1024;
/**
 * Bytes decoded and parsed at a time. Kept small so the text of a piece stays under V8's large-object size
 * (128 KB): every larger string is memory mapped for itself, and its page faults cost more than the parse.
 */
const CHUNK_BYTES = 32 * 1024;
/** Papaparse guesses a text's line ending from its first megabyte: the reader shows it the same megabyte. */
const NEWLINE_SAMPLE = 1024 * 1024;
/** Rows whose text is checked for signs of the wrong encoding (the Preview checks every mapped cell). */
const MISDECODING_ROWS = 10_000;

type Newline = '\n' | '\r\n' | '\r';

/**
 * Reads a delimited text file (CSV, TSV, semicolon- or pipe-separated; `readSpreadsheet` has recognised it) as
 * a stream. Bytes are decoded to text in the detected (or chosen) encoding, so multi-byte characters are never
 * split, and the text goes, a chunk at a time, to papaparse through its documented streaming API (a Node stream
 * with a `chunk` callback): no other code splits lines or cells, so every row is exactly papaparse's row. The line
 * ending is papaparse's own guess from the first megabyte, the delimiter and header row are chosen once the first
 * rows are seen. Rows go to `sink` in order, each with its row number as a spreadsheet shows it (a quoted cell
 * with line breaks is one row), and memory stays flat whatever the file's size.
 */
export const readDelimitedFile: Reader = async (path, fileName, settings, sink, control) => {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw explainIoError(error, fileName);
  }
  let parser: DelimitedParser | null = null;
  let pending: Promise<{ bytesRead: number; buffer: Buffer }> | null = null;
  try {
    const before = await handle.stat();
    if (before.isDirectory()) throw new ReadError('UNREADABLE', `“${fileName}” is a folder, not a file.`);
    if (before.size === 0) throw new ReadError('EMPTY', `“${fileName}” is empty: there is nothing in it to import.`);
    const chunkBytes = Math.max(1, control.chunkBytes ?? CHUNK_BYTES);
    const head = Buffer.allocUnsafe(Math.min(SNIFF_BYTES, before.size));
    const { bytesRead: headBytes } = await handle.read(head, 0, head.length, 0);
    const detected = detectEncoding(head.subarray(0, headBytes));
    parser = new DelimitedParser(fileName, settings, sink, detected, extname(fileName), chunkBytes);

    // The next megabyte is read from disk while this one is parsed, a `chunkBytes` piece at a time.
    const readBytes = Math.max(chunkBytes, READ_BYTES);
    const buffers = [Buffer.allocUnsafe(readBytes), Buffer.allocUnsafe(readBytes)];
    const file = handle;
    let position = 0;
    let next = 0;
    const readAt = async (at: number) => {
      const buffer = buffers[next] as Buffer;
      const { bytesRead } = await file.read(buffer, 0, readBytes, at);
      return { bytesRead, buffer };
    };
    pending = readAt(0);
    for (;;) {
      const { bytesRead, buffer }: { bytesRead: number; buffer: Buffer } = await pending;
      pending = null;
      if (bytesRead === 0) break;
      next ^= 1;
      pending = readAt(position + bytesRead);
      for (let at = 0, end = 0; at < bytesRead; at = end) {
        if (control.signal.aborted) throw new ReadError('CANCELLED', 'Reading was cancelled.');
        // Inside a long row its text is joined into one large string anyway: the rest of the read goes at once.
        end = parser.inLongRow ? bytesRead : Math.min(at + chunkBytes, bytesRead);
        await parser.push(buffer.subarray(at, end));
        await sink.drain?.();
        control.onProgress(position + end, parser.rowCount);
      }
      position += bytesRead;
    }
    const after = await handle.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || position !== before.size) {
      throw new ReadError(
        'FILE_CHANGED',
        `“${fileName}” changed while it was being read. Wait until it has finished saving, then open it again.`,
      );
    }
    return await parser.finish();
  } catch (error) {
    throw explainIoError(error, fileName);
  } finally {
    parser?.close();
    // A read still under way is let finish before the file is closed under it.
    await pending?.catch(() => undefined);
    await handle.close();
  }
};

class DelimitedParser {
  readonly #settings: ReadSettings;
  readonly #detected: EncodingDetection;
  readonly #encoding: ReadResult['encoding'];
  readonly #extension: string;
  readonly #decoder: TextDecoder;
  readonly #rows: RowCollector;
  /** Past this many characters, a row still unfinished makes the reader wait for twice as much text. */
  readonly #longRow: number;
  #feed: PapaFeed | null = null;
  #delimiter: Delimiter | null = null;
  #detectedDelimiter: Delimiter = ',';
  /** Text decoded but not yet given to papaparse: the first megabyte, or the text behind a long unfinished row. */
  #held: string[] = [];
  #heldLength = 0;
  #recordNumber = 0;
  #mixedLineEndings: string | null = null;
  /** Rows (of the first `MISDECODING_ROWS`) whose text looks misdecoded, and the first such text for the note. */
  #misdecodedRows: { rowNumber: number; found: Misdecoding }[] = [];

  constructor(
    fileName: string,
    settings: ReadSettings,
    sink: RowSink,
    detected: EncodingDetection,
    extension: string,
    chunkBytes: number,
  ) {
    this.#settings = settings;
    this.#detected = detected;
    this.#encoding = settings.encoding ?? detected.encoding;
    this.#extension = extension.toLowerCase();
    this.#longRow = Math.max(chunkBytes, 64);
    // The BOM is removed by the decoder, so it never reaches the first header cell (papaparse removes it too).
    this.#decoder = new TextDecoder(this.#encoding);
    this.#rows = new RowCollector({ fileName, sink, headerRow: settings.headerRow, reportShortRows: true });
  }

  get rowCount(): number {
    return this.#rows.rowCount;
  }

  /** Whether papaparse is in a row longer than a piece of text (a huge cell, or a quote never closed). */
  get inLongRow(): boolean {
    return (this.#feed?.unfinished ?? 0) > this.#longRow;
  }

  async push(bytes: Uint8Array): Promise<void> {
    const text = this.#decoder.decode(bytes, { stream: true });
    if (text === '') return;
    this.#held.push(text);
    this.#heldLength += text.length;
    const feed = this.#feed;
    if (!feed) {
      if (this.#heldLength >= NEWLINE_SAMPLE) this.#start();
      else return;
    }
    await this.#flush(false);
  }

  async finish(): Promise<ReadResult> {
    const text = this.#decoder.decode();
    if (text !== '') {
      this.#held.push(text);
      this.#heldLength += text.length;
    }
    if (!this.#feed) this.#start();
    await this.#flush(true);
    await this.#feed?.end();
    const { headerRow, detectedHeaderRow, columns, notes } = this.#rows.finish({
      'nul-characters': (count) =>
        `${plural(count, 'row contains', 'rows contain')} NUL characters (invisible, usually from a faulty export); they were removed.`,
      'undecodable-text': (count) =>
        `${plural(count, 'row has', 'rows have')} characters that are not valid ${this.#encoding.toUpperCase()} ` +
        '(shown as �). The file may use another encoding: try choosing one.',
    });
    // The header row's names have a note of their own.
    const misdecoded = this.#misdecodedRows.filter((row) => row.rowNumber > headerRow);
    const example = misdecoded[0];
    if (example) {
      const among =
        this.#recordNumber > MISDECODING_ROWS ? ` of the first ${MISDECODING_ROWS.toLocaleString('en-US')}` : '';
      notes.push({
        kind: 'misdecoded-text',
        count: misdecoded.length,
        rows: misdecoded.slice(0, 20).map((row) => row.rowNumber),
        message:
          `${plural(misdecoded.length, 'row', 'rows')}${among} ${misdecoded.length === 1 ? 'has' : 'have'} text that ` +
          `${describeMisdecoding(example.found)}. The file may use another encoding: try choosing one.`,
      });
    }
    const header = columns.flatMap((column, index) =>
      findMisdecoding(column.original) ? [`${columnLetter(index)} “${column.original}”`] : [],
    );
    if (header.length > 0) {
      const listed = header.slice(0, 3).join(', ') + (header.length > 3 ? ` and ${header.length - 3} more` : '');
      notes.push({
        kind: 'misdecoded-header',
        count: header.length,
        rows: [headerRow],
        message:
          (header.length === 1
            ? `The name of column ${listed} looks wrongly decoded`
            : `${header.length} column names look wrongly decoded: ${listed}`) +
          '. Names read wrongly do not match templates or the names you expect: try choosing another encoding.',
      });
    }
    if (this.#mixedLineEndings) {
      notes.push({ kind: 'mixed-line-endings', count: 1, rows: [], message: this.#mixedLineEndings });
    }
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
      detected: {
        encoding: this.#detected.encoding,
        encodingConfidence: this.#detected.confidence,
        encodingAlternatives: this.#detected.alternatives,
        delimiter: this.#detectedDelimiter,
        headerRow: detectedHeaderRow,
      },
    };
  }

  close(): void {
    this.#feed?.close();
  }

  /** The first megabyte is in: the line ending and delimiter are chosen from it, and papaparse starts. */
  #start(): void {
    const sample = this.#held.join('');
    this.#held = [sample];
    const newline = guessNewline(sample);
    this.#mixedLineEndings = describeMixedLineEndings(sample, newline);
    this.#detectedDelimiter = detectDelimiter(
      sample.slice(0, SNIFF_BYTES),
      this.#extension === '.tsv' || this.#extension === '.tab' ? '\t' : ',',
      newline,
    );
    this.#delimiter = this.#settings.delimiter ?? this.#detectedDelimiter;
    this.#feed = new PapaFeed(this.#delimiter, newline, (rows, errors, final, odd) =>
      this.#accept(rows, errors, final, odd),
    );
  }

  /**
   * Gives the held text to papaparse, unless a long row is still unfinished: then text is held until there is as
   * much again as papaparse has been given since that row began, so each character is parsed a bounded number of
   * times and a 50 MB cell (or a quote never closed) costs linear time.
   */
  async #flush(final: boolean): Promise<void> {
    const feed = this.#feed;
    if (!feed || this.#heldLength === 0) return;
    const unfinished = feed.unfinished;
    if (!final && unfinished > this.#longRow && this.#heldLength < unfinished) return;
    const text = this.#held.length === 1 ? (this.#held[0] ?? '') : this.#held.join('');
    this.#held = [];
    this.#heldLength = 0;
    await feed.write(text);
  }

  /** Rows papaparse finished; `odd` when their text may hold a NUL or a U+FFFD (most text has neither). */
  #accept(rows: string[][], errors: Papa.ParseError[], final: boolean, odd: boolean): void {
    for (const row of rows) {
      const rowNumber = ++this.#recordNumber;
      let nul = false;
      let undecodable = false;
      let misdecoded: Misdecoding | null = null;
      const checkText = rowNumber <= MISDECODING_ROWS;
      if (!odd && !checkText) {
        this.#rows.accept(rowNumber, row);
        continue;
      }
      for (let i = 0; i < row.length; i++) {
        const cell = row[i] ?? '';
        // Most cells are plain ASCII: one search finds every rare character.
        if (cell.length === 0 || !(checkText ? NOT_ASCII : HAS_ODD_CHARACTER).test(cell)) continue;
        if (cell.includes('\0')) {
          row[i] = cell.replaceAll('\0', '');
          nul = true;
        }
        if (cell.includes('\uFFFD')) undecodable = true;
        else if (checkText && !misdecoded) misdecoded = findMisdecoding(cell);
      }
      if (nul) this.#rows.note('nul-characters', rowNumber);
      if (undecodable) this.#rows.note('undecodable-text', rowNumber);
      if (misdecoded) this.#misdecodedRows.push({ rowNumber, found: misdecoded });
      this.#rows.accept(rowNumber, row);
    }
    if (final && errors.some((error) => error.code === 'MissingQuotes')) {
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

const HAS_ODD_CHARACTER = /[\0\uFFFD]/;
/** NUL, or any character outside ASCII. */
const NOT_ASCII = /[\0\u0080-\uFFFF]/;

/**
 * Papaparse driven through its public streaming API: text is written to a Node stream that `Papa.parse` reads,
 * and each chunk's complete rows come back through the `chunk` callback. `write` resolves once papaparse has
 * parsed what it was given, so the reader never runs ahead of it.
 */
class PapaFeed {
  readonly #input = new Readable({ objectMode: true, read: () => undefined });
  readonly #onRows: (rows: string[][], errors: Papa.ParseError[], final: boolean, odd: boolean) => void;
  /** Characters given to papaparse so far. */
  #written = 0;
  /** Where the last text given with a NUL or a U+FFFD in it ended: rows after it have neither. */
  #oddUntil = 0;
  /** Where the last complete row ended, in characters from the start. */
  #cursor = 0;
  #ended = false;
  #waiting: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  #failure: Error | null = null;
  #complete = false;

  constructor(
    delimiter: Delimiter,
    newline: Newline,
    onRows: (rows: string[][], errors: Papa.ParseError[], final: boolean, odd: boolean) => void,
  ) {
    this.#onRows = onRows;
    Papa.parse<string[]>(this.#input, {
      delimiter,
      newline,
      chunk: (results) => {
        if (this.#failure) return;
        try {
          // These rows are the text from the last cursor to this one.
          const odd = this.#oddUntil > this.#cursor;
          this.#cursor = results.meta.cursor;
          this.#onRows(results.data, results.errors, this.#ended, odd);
        } catch (error) {
          this.#failure = error instanceof Error ? error : new Error(String(error));
        }
        this.#settle();
      },
      complete: () => {
        this.#complete = true;
        this.#settle();
      },
      error: (error: Error) => {
        this.#failure ??= error;
        this.#settle();
      },
    });
  }

  /** Characters given to papaparse that belong to a row it has not finished (it parses them again with more). */
  get unfinished(): number {
    return this.#written - this.#cursor;
  }

  write(text: string): Promise<void> {
    this.#written += text.length;
    if (HAS_ODD_CHARACTER.test(text)) this.#oddUntil = this.#written;
    return this.#wait(() => this.#input.push(text));
  }

  /** The end of the text: papaparse parses what is left (the last row, if it has no line break) and completes. */
  end(): Promise<void> {
    this.#ended = true;
    return this.#wait(() => this.#input.push(null), true);
  }

  close(): void {
    this.#input.destroy();
  }

  #wait(start: () => void, untilComplete = false): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      this.#waiting = {
        resolve: untilComplete ? () => (this.#complete ? resolve() : undefined) : resolve,
        reject,
      };
      start();
    });
  }

  #settle(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    if (this.#failure) {
      this.#waiting = null;
      waiting.reject(this.#failure);
    } else waiting.resolve();
  }
}

/** The line ending papaparse chooses for this text (it looks at the first megabyte), asked through its API. */
function guessNewline(sample: string): Newline {
  const linebreak = Papa.parse(sample.slice(0, NEWLINE_SAMPLE), { delimiter: ',', preview: 1 }).meta.linebreak;
  return linebreak === '\r\n' || linebreak === '\r' ? linebreak : '\n';
}

const NEWLINE_NAMES: Record<Newline, string> = { '\n': 'LF', '\r\n': 'CRLF', '\r': 'CR' };

/**
 * Says so when lines outside quoted cells end in more than one way (a file pasted together from two systems):
 * papaparse splits rows at one kind only, so the others stay inside cells.
 */
function describeMixedLineEndings(sample: string, newline: Newline): string | null {
  // A sample cut between the two characters of a CRLF does not mix anything.
  const outside = sample.replace(/"[^]*?"/g, '').replace(/\r$/, '');
  const kinds = new Set<Newline>();
  for (const match of outside.matchAll(/\r\n|\r|\n/g)) kinds.add(match[0] as Newline);
  if (kinds.size < 2) return null;
  const others = [...kinds].filter((kind) => kind !== newline).map((kind) => NEWLINE_NAMES[kind]);
  return (
    `Lines in this file end in more than one way. Rows were split at ${NEWLINE_NAMES[newline]} line endings, the ` +
    `commonest; ${others.join(' and ')} line endings were kept inside cells. If rows look merged, save the file ` +
    'again from your spreadsheet app.'
  );
}
