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
  write(row: StoredRow): void;
  /** All rows are written. */
  finish(): void;
  /** Resolves when the sink is ready for more; the reader waits on it between chunks. */
  drain?(): Promise<void>;
}

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
}

/** What a reading worker tells main. */
export type ReadWorkerMessage =
  | { type: 'progress'; bytesRead: number; rowsRead: number }
  | { type: 'done'; result: ReadResult }
  | { type: 'failed'; code: ReadErrorCode; message: string; detail?: string };

/** What the reading worker gives the writing worker. */
export interface WriteWorkerInput {
  databaseFile: string;
  fileId: string;
}

export type WriteWorkerMessage =
  { type: 'block'; index: number; json: string } | { type: 'finish' } | { type: 'abort' };

export type WriteWorkerReply =
  | { type: 'stored'; index: number }
  | { type: 'finished' }
  | { type: 'failed'; message: string; code?: string | undefined };
