/** Reading spreadsheets: the public surface of `app/read`. */
import { readDelimitedFile } from './delimited.ts';
import type { ReadControl, ReadResult, ReadSettings, RowSink } from './types.ts';

export { BLOCK_ROWS, BlockWriter, readRowPage } from './row-store.ts';
export { ReadError, type ReadErrorCode } from './errors.ts';
export { DELIMITERS, DELIMITER_LABELS, isDelimiter, columnLetter, type Column, type Delimiter } from './detect.ts';
export { ENCODINGS, ENCODING_LABELS, type Encoding, type SpreadsheetFormat } from './sniff.ts';
export type * from './types.ts';

/** Reads any supported spreadsheet file into `sink`. */
export function readSpreadsheet(
  path: string,
  fileName: string,
  settings: ReadSettings,
  sink: RowSink,
  control: ReadControl,
): Promise<ReadResult> {
  return readDelimitedFile(path, fileName, settings, sink, control);
}
