/** Reading spreadsheets: the public surface of `app/read`. */
import { open } from 'node:fs/promises';
import { readDelimitedFile } from './delimited.ts';
import { explainIoError, ReadError } from './errors.ts';
import { detectFormat, SNIFF_BYTES } from './sniff.ts';
import { readOdsFile } from './ods.ts';
import { readXlsFile } from './xls.ts';
import { readXlsxFile } from './xlsx.ts';
import type { Reader } from './types.ts';

export { BLOCK_ROWS, readRowPage } from './row-store.ts';
export { ReadError, type ReadErrorCode } from './errors.ts';
export { DELIMITERS, DELIMITER_LABELS, isDelimiter, columnLetter, type Column, type Delimiter } from './detect.ts';
export { ENCODINGS, ENCODING_LABELS, type Encoding, type SpreadsheetFormat } from './sniff.ts';
export type * from './types.ts';

/** Reads any supported spreadsheet file into `sink`: recognised by its first bytes and its name. */
export const readSpreadsheet: Reader = async (path, fileName, settings, sink, control) => {
  const format = detectFormat(await readHead(path, fileName), fileName);
  switch (format) {
    case 'xlsx':
      return readXlsxFile(path, fileName, settings, sink, control);
    case 'ods':
      return readOdsFile(path, fileName, settings, sink, control);
    case 'xls':
      return readXlsFile(path, fileName, settings, sink, control);
    case 'delimited':
      return readDelimitedFile(path, fileName, settings, sink, control);
  }
};

/** The first bytes of a file, for recognising it. */
async function readHead(path: string, fileName: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw new ReadError('UNREADABLE', `“${fileName}” is a folder, not a file.`);
    if (info.size === 0) throw new ReadError('EMPTY', `“${fileName}” is empty: there is nothing in it to import.`);
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw explainIoError(error, fileName);
  } finally {
    await handle?.close();
  }
}
