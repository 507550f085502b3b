import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ReadError, cancelled, damagedContent, damagedWorkbook as damaged, explainIoError } from './errors.ts';
import { XmlByteScanner, XmlScanner, XmlSyntaxError, type XmlAttributes, type XmlTag } from './xml-scanner.ts';

export { damaged };
import type { RowCollector } from './collector.ts';
import type { ReadResult, SheetInfo } from './types.ts';

/** An open zip (a workbook) and its parts by path. */
export interface Zip {
  file: ZipFile;
  entries: Map<string, Entry>;
  /** The workbook's name, for messages. */
  fileName: string;
}

export type { Entry };

/** Opens a workbook's zip and lists its parts, from the central directory (any part can then be read). */
export async function openZip(path: string, fileName: string): Promise<Zip> {
  let file: ZipFile;
  try {
    file = await yauzl.openPromise(path, { autoClose: false, lazyEntries: true, strictFileNames: false });
  } catch (error) {
    if ((error as { code?: string }).code) throw explainIoError(error, fileName);
    throw damaged(fileName);
  }
  const entries = new Map<string, Entry>();
  let bomb: Entry | null = null;
  await new Promise<void>((resolve, reject) => {
    file.on('entry', (entry: Entry) => {
      if (expandsLikeABomb(entry)) bomb ??= entry;
      entries.set(entry.fileName.replace(/^\/+/, ''), entry);
      file.readEntry();
    });
    file.once('end', resolve);
    file.once('error', reject);
    file.readEntry();
  }).catch(() => {
    file.close();
    throw damaged(fileName);
  });
  const found = bomb as Entry | null;
  if (found) {
    file.close();
    throw new ReadError(
      'UNREADABLE',
      `The workbook “${fileName}” is damaged or made to overwhelm the app: its part “${found.fileName}” would grow ` +
        `from ${size(found.compressedSize)} to ${size(found.uncompressedSize)} when unpacked, far more than any ` +
        'spreadsheet does. Open it in Excel or LibreOffice and save it again, or export it as CSV.',
    );
  }
  return { file, entries, fileName };
}

/**
 * Spreadsheet XML packs well, but not a thousandfold: a part that large and that compressed is a zip bomb, a tiny
 * file that would fill the memory. The sizes are the zip's own, which yauzl holds each part to as it is read.
 */
const BOMB_BYTES = 64 * 1024 * 1024;
const BOMB_RATIO = 1000;
function expandsLikeABomb(entry: Entry): boolean {
  return entry.uncompressedSize > BOMB_BYTES && entry.uncompressedSize > BOMB_RATIO * Math.max(1, entry.compressedSize);
}

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The sheet to read: the one the user picked, or the first visible sheet with rows below a header (a cover or
 * notes sheet in front of the data is passed over).
 */
export function chooseSheet<S extends SheetInfo & { hidden?: boolean }>(
  sheets: S[],
  wanted: string | undefined,
  fileName: string,
): S {
  const visible = sheets.filter((sheet) => !sheet.hidden);
  if (wanted !== undefined) {
    const sheet = sheets.find((s) => s.name === wanted);
    if (!sheet) throw new ReadError('UNREADABLE', `“${fileName}” has no sheet named “${wanted}”.`);
    return sheet;
  }
  const first = visible.find((sheet) => (sheet.rows ?? 2) > 1) ?? visible[0] ?? sheets[0];
  if (!first) throw new ReadError('EMPTY', `“${fileName}” has no worksheets.`);
  return first;
}

/** The result of reading one sheet of a workbook: text encodings and delimiters do not apply. */
export function workbookResult(
  format: 'xlsx' | 'xls' | 'ods',
  sheet: string,
  sheets: readonly (SheetInfo & { hidden?: boolean })[],
  rows: RowCollector,
): ReadResult {
  const { headerRow, detectedHeaderRow, columns, notes } = rows.finish();
  return {
    format,
    sheet,
    sheets: sheets.filter((s) => !s.hidden).map(({ name, rows: count }) => ({ name, rows: count })),
    encoding: 'utf-8',
    delimiter: ',',
    headerRow,
    columns,
    rowCount: rows.rowCount,
    notes,
    detected: { encoding: 'utf-8', delimiter: ',', headerRow: detectedHeaderRow },
  };
}

export interface XmlHandlers {
  /** Start tags without an object for each (see XmlScannerHandlers.start), instead of `open`. */
  start?: (name: string, attributes: XmlAttributes) => void;
  text?: (text: string) => void;
  close?: (localName: string) => void;
  /** Bytes of the part's XML consumed so far. */
  progress?: (bytes: number) => void;
  /** Awaited between chunks, so a slow consumer holds the reader back. */
  drain?: () => Promise<void> | undefined;
  /** Checked between chunks: when it is aborted the read ends as cancelled. */
  signal?: AbortSignal;
}

/**
 * Streams one XML part of the workbook through the XML scanner. `open` may call `stop()` to end early (used to
 * read only a sheet's first bytes); `handlers.start` replaces it for large parts, whose bytes are then read as
 * bytes (XmlByteScanner) rather than decoded to text first. A missing part is treated as empty. Damaged compressed
 * data, a part that unpacks to more or fewer bytes than the zip says, and XML that is not well formed end as a
 * ReadError naming the part; so does a cancel, checked between chunks (each chunk comes from the inflater on
 * another thread, so the thread's other events, such as a Cancel, get in between).
 */
export async function parseXml(
  zip: Zip,
  entry: Entry | undefined,
  open: ((tag: XmlTag, stop: () => void) => void) | null,
  handlers: XmlHandlers = {},
): Promise<void> {
  if (!entry) return;
  const { signal } = handlers;
  const part = clip(entry.fileName);
  const corrupt = () =>
    damagedContent(zip.fileName, `the compressed data of its part “${part}” is corrupt or cut short.`);
  let stream: Readable;
  /** The inflater's own, for a deflated part: the bytes it must give, no more and no fewer (the zip's size). */
  let expected: number | null = null;
  let raw: Readable | null = null;
  try {
    if (entry.compressionMethod === 8 && !entry.isEncrypted()) {
      // Inflated here rather than by yauzl, in larger pieces: a piece costs this thread a stream's callbacks and
      // a buffer whatever its size, and the inflating itself is done on libuv's threads.
      raw = await zip.file.openReadStreamPromise(entry, { decodeFileData: false });
      const inflater = createInflateRaw({ chunkSize: INFLATED_CHUNK });
      raw.once('error', (error) => inflater.destroy(error));
      stream = raw.pipe(inflater);
      expected = entry.uncompressedSize;
    } else stream = await zip.file.openReadStreamPromise(entry);
  } catch (error) {
    raw?.destroy();
    throw isIoError(error) ? explainIoError(error, zip.fileName) : corrupt();
  }
  let inflated = 0;
  try {
    const scanner: XmlScanner | XmlByteScanner = handlers.start
      ? new XmlByteScanner({ start: handlers.start, text: handlers.text, close: handlers.close })
      : new XmlScanner({
          open: open ? (tag) => open(tag, () => scanner.stop()) : undefined,
          text: handlers.text,
          close: handlers.close,
        });
    const decoder = scanner instanceof XmlScanner ? new TextDecoder('utf-8') : null;
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        // Errors of the stream itself: the inflater's, or yauzl's checks of sizes and headers.
        throw isIoError(error) ? explainIoError(error, zip.fileName) : corrupt();
      }
      if (signal?.aborted) throw cancelled();
      if (next.done) {
        if (expected !== null && inflated !== expected) throw corrupt();
        break;
      }
      const bytes = next.value;
      inflated += bytes.length;
      // More than the zip says the part holds: damage, or a zip bomb made to look small.
      if (expected !== null && inflated > expected) throw corrupt();
      if (decoder) (scanner as XmlScanner).write(decoder.decode(bytes, { stream: true }));
      else (scanner as XmlByteScanner).write(bytes);
      handlers.progress?.(bytes.length);
      if (scanner.stopped) break;
      await handlers.drain?.();
    }
    if (!scanner.stopped) {
      if (decoder) (scanner as XmlScanner).write(decoder.decode());
      scanner.close();
    }
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw damagedContent(zip.fileName, `its part “${part}” is not valid XML: ${error.message}.`);
    }
    throw error;
  } finally {
    raw?.unpipe();
    raw?.destroy();
    stream.destroy();
  }
}

/**
 * Bytes of a deflated part inflated at a time: large, so that few pieces pass through the streams, yet decoded
 * into a string well under V8's 128 KB large-object size even when every character takes two bytes.
 */
const INFLATED_CHUNK = 48 * 1024;

/** A part's name for a message: at most 60 characters of it. */
function clip(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
}

function isIoError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ENOENT|EACCES|EPERM|EISDIR|EIO|ENOSPC)$/.test(code);
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}
