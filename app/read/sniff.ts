import { extname } from 'node:path';
import { guessEncoding } from './charset.ts';
import { type Encoding } from './encodings.ts';
import { ReadError, passwordProtected } from './errors.ts';

export { ENCODINGS, ENCODING_GROUPS, ENCODING_LABELS, type Encoding } from './encodings.ts';

export type SpreadsheetFormat = 'delimited' | 'xlsx' | 'xls' | 'ods';

/** How many bytes from the start of a file are looked at to recognise it. */
export const SNIFF_BYTES = 64 * 1024;

const WORKBOOK_EXTENSIONS: Record<string, SpreadsheetFormat> = {
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.xls': 'xls',
  '.ods': 'ods',
};

/**
 * What kind of file this is, from its first bytes and its name. Text files of any extension are read as delimited
 * text; images, PDFs, archives and programs are refused with a message that says what they look like.
 */
export function detectFormat(head: Uint8Array, fileName: string): SpreadsheetFormat {
  const extension = extname(fileName).toLowerCase();
  const named = WORKBOOK_EXTENSIONS[extension];
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    if (named === 'xlsx' || named === 'ods') return named;
    throw new ReadError(
      'NOT_A_SPREADSHEET',
      `“${fileName}” is a compressed file (a .zip, or an Excel or OpenDocument workbook with the wrong name), not ` +
        'text. If it is a workbook, rename it to .xlsx or .ods; if it is a .zip, unpack it first.',
    );
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    if (named === 'xls') return 'xls';
    if (named === 'xlsx') {
      // An .xlsx in an Office container is an encrypted workbook.
      throw passwordProtected(fileName);
    }
    throw new ReadError(
      'NOT_A_SPREADSHEET',
      `“${fileName}” is an old-style Office file (such as an .xls workbook), not text. Rename it to .xls to open it.`,
    );
  }
  const kind = binaryKind(head);
  if (kind) {
    throw new ReadError(
      'NOT_A_SPREADSHEET',
      `“${fileName}” is ${kind}, not a spreadsheet. Choose a CSV, TSV, Excel or OpenDocument file.`,
    );
  }
  if (named) {
    throw new ReadError(
      'NOT_A_SPREADSHEET',
      `“${fileName}” is named like a workbook but its contents are not one. It may be damaged or only partly ` +
        'downloaded; export it again.',
    );
  }
  return 'delimited';
}

/** The encoding a text file was found to be in, and how sure that is (0–1). */
export interface EncodingDetection {
  encoding: Encoding;
  confidence: number;
  /** Other encodings that came close, best first (statistical guesses only). */
  alternatives: Encoding[];
}

/**
 * The encoding of a text file: from its byte-order mark; UTF-16 without a mark from its pattern of zero bytes;
 * UTF-8 if the first 64 KB are valid UTF-8 (pure ASCII reads the same in every encoding offered); otherwise the
 * likeliest legacy encoding by the statistics of `guessEncoding`, with its confidence.
 */
export function detectEncoding(head: Uint8Array): EncodingDetection {
  const sure = (encoding: Encoding, confidence = 1): EncodingDetection => ({ encoding, confidence, alternatives: [] });
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return sure('utf-8');
  if (startsWith(head, [0xff, 0xfe])) return sure('utf-16le');
  if (startsWith(head, [0xfe, 0xff])) return sure('utf-16be');
  const utf16 = utf16WithoutBom(head);
  if (utf16) return sure(utf16, 0.95);
  if (isValidUtf8(head)) return sure('utf-8', head.some((byte) => byte >= 0x80) ? 0.99 : 1);
  return guessEncoding(head);
}

function utf16WithoutBom(head: Uint8Array): Encoding | null {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZero++;
    if (head[2 * i + 1] === 0) oddZero++;
  }
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

function isValidUtf8(head: Uint8Array): boolean {
  // The sample may end in the middle of a character: drop up to three trailing bytes of an unfinished sequence.
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back] ?? 0;
    if ((byte & 0xc0) === 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (needed > back) end -= back;
      break;
    }
    if ((byte & 0xc0) !== 0x80) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function binaryKind(head: Uint8Array): string | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(head, [0x1f, 0x8b])) return 'a compressed (.gz) file';
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(head, [0x4d, 0x5a])) return 'a program';
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21]) || startsWith(head, [0x37, 0x7a, 0xbc, 0xaf])) return 'an archive';
  if (utf16WithoutBom(head) || startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return null;
  // Text has few control characters; a file where more than one byte in ten is one is not text.
  const sample = head.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  return sample.length > 0 && control > sample.length * 0.1 ? 'binary data (not text)' : null;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}
