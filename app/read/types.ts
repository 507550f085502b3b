import type { ReadErrorCode } from './errors.ts';
import type { Column, Delimiter } from './detect.ts';
import type { Encoding, SpreadsheetFormat } from './sniff.ts';

/** What the user chose to override; anything left out is detected. */
export interface ReadSettings {
  encoding?: Encoding | undefined;
  delimiter?: Delimiter | undefined;
  /** 1-based row number of the header row in the file. */
  headerRow?: number | undefined;
  /** The worksheet to read, by name (workbooks only; the first visible one otherwise). */
  sheet?: string | undefined;
}

/** A data row as stored: its row number in the file, then its cells as text. */
export type StoredRow = [rowNumber: number, ...cells: string[]];

/** Where rows go as they are read, in order. */
export interface RowSink {
  /** The columns, named from the header row, once it is chosen (before the first `write`). */
  columns?(names: string[]): void;
  write(row: StoredRow): void;
  /** All rows are written. */
  finish(): void;
  /** Resolves when the sink is ready for more; the reader waits on it between chunks. */
  drain?(): Promise<void>;
}

/** A reader: the file at `path` (called `fileName` to the user), its rows into `sink`, and what was found. */
export type Reader = (
  path: string,
  fileName: string,
  settings: ReadSettings,
  sink: RowSink,
  control: ReadControl,
) => Promise<ReadResult>;

export interface ReadControl {
  signal: AbortSignal;
  onProgress(bytesRead: number, rowsRead: number): void;
  /** How many bytes a text file is read at a time (1 MB; tests make it small to reach every chunk edge). */
  chunkBytes?: number;
}

export type ReadNoteKind =
  | 'more-cells'
  | 'fewer-cells'
  | 'blank-rows'
  | 'nul-characters'
  | 'undecodable-text'
  | 'unclosed-quote'
  | 'mixed-line-endings'
  | 'misdecoded-text'
  | 'misdecoded-header'
  /** Rows above a detected header row, not imported, that look like they could be the header or data. */
  | 'skipped-rows';

/** Something about the file worth telling the user, with the rows it concerns (the first few of them). */
export interface ReadNote {
  kind: ReadNoteKind;
  count: number;
  rows: number[];
  message: string;
}

export interface SheetInfo {
  name: string;
  /** Rows in the sheet as the workbook records them, or null when it does not say. */
  rows: number | null;
}

export interface ReadResult {
  format: SpreadsheetFormat;
  /** The worksheet read (workbooks), or null (text files). */
  sheet: string | null;
  /** Every worksheet of a workbook, in order; empty for text files. */
  sheets: SheetInfo[];
  encoding: Encoding;
  delimiter: Delimiter;
  /** 1-based row number of the header row. */
  headerRow: number;
  columns: Column[];
  rowCount: number;
  notes: ReadNote[];
  /** What detection found, so the UI can show "detected" next to an override. */
  detected: {
    encoding: Encoding;
    /** 0–1: how sure the encoding's detection is (text files; absent from older reads and workbooks). */
    encodingConfidence?: number;
    /** Other encodings the detection found likely, best first. */
    encodingAlternatives?: Encoding[];
    delimiter: Delimiter;
    headerRow: number;
  };
}

/** What main gives a reading worker. */
export interface ReadWorkerInput {
  databaseFile: string;
  fileId: string;
  path: string;
  fileName: string;
  settings: ReadSettings;
  /** Moved as rows are committed (see `stored-rows.ts`), for a check that follows the read. */
  storedRows?: SharedArrayBuffer;
}

/** What a reading worker tells main. */
export type ReadWorkerMessage =
  | { type: 'progress'; bytesRead: number; rowsRead: number }
  /**
   * The columns as the header row names them and the first data rows' cells: posted once, when `SAMPLE_ROWS` rows
   * are read, so main can suggest a mapping (and check ahead with it) before the read ends.
   */
  | { type: 'sample'; columns: string[]; rows: string[][] }
  | { type: 'done'; result: ReadResult }
  | { type: 'failed'; code: ReadErrorCode; message: string; detail?: string };

/** What the reading worker gives the writing worker. */
export interface WriteWorkerInput {
  databaseFile: string;
  fileId: string;
  storedRows?: SharedArrayBuffer | undefined;
}

/** A block is its UTF-8 bytes (`length` of them) in `buffer`, which is moved to the writer, not copied. */
export type WriteWorkerMessage =
  | { type: 'block'; index: number; buffer: ArrayBuffer; length: number; rows: number }
  | { type: 'finish' }
  | { type: 'abort' };

/** `stored` hands the block's buffer back, for the next block to be written into. */
export type WriteWorkerReply =
  | { type: 'stored'; index: number; buffer: ArrayBuffer }
  | { type: 'finished' }
  | { type: 'failed'; message: string; code?: string | undefined };
