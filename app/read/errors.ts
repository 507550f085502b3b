import { CodedError } from '../coded-error.ts';

/** Why a file could not be read. Codes are for code; messages are for the person who chose the file. */
export type ReadErrorCode =
  | 'EMPTY'
  | 'NO_DATA_ROWS'
  | 'NOT_A_SPREADSHEET'
  | 'PASSWORD_PROTECTED'
  | 'UNSUPPORTED_FORMAT'
  | 'FILE_MISSING'
  | 'FILE_CHANGED'
  | 'NO_ACCESS'
  | 'DISK_FULL'
  | 'CANCELLED'
  | 'UNREADABLE';

export class ReadError extends CodedError<ReadErrorCode> {
  override readonly name = 'ReadError';
}

/** Turns what the OS or SQLite threw while reading into a message about the user's file. */
export function explainIoError(error: unknown, fileName: string): ReadError {
  if (error instanceof ReadError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') {
    return new ReadError('FILE_MISSING', `“${fileName}” was moved or deleted while it was being read. Open it again.`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ReadError('NO_ACCESS', `The app is not allowed to read “${fileName}”. Check the file's permissions.`);
  }
  if (code === 'ENOSPC' || /SQLITE_FULL|database or disk is full/i.test(message)) {
    return new ReadError(
      'DISK_FULL',
      `There is not enough free disk space to store the rows of “${fileName}”. Free some space and open it again.`,
    );
  }
  if (code === 'EISDIR') return new ReadError('UNREADABLE', `“${fileName}” is a folder, not a file.`);
  return new ReadError('UNREADABLE', `“${fileName}” could not be read (${message}).`);
}

/** A workbook whose container or parts cannot be read. */
export function damagedWorkbook(fileName: string): ReadError {
  return new ReadError(
    'UNREADABLE',
    `“${fileName}” is damaged or incomplete (it may have been only partly downloaded or copied). Open it in ` +
      'Excel and save it again, or export it again.',
  );
}

/**
 * A workbook whose parts can be found but whose contents are broken, naming the problem in plain words
 * (`problem` completes “The workbook … is damaged: …”).
 */
export function damagedContent(fileName: string, problem: string): ReadError {
  return new ReadError(
    'UNREADABLE',
    `The workbook “${fileName}” is damaged: ${problem} Open it in Excel and save it again, or export it again.`,
  );
}

/** The read was stopped by the user. */
export function cancelled(): ReadError {
  return new ReadError('CANCELLED', 'Reading was cancelled.');
}

/** An encrypted workbook: Excel keeps it in an Office container the app cannot open without the password. */
export function passwordProtected(fileName: string): ReadError {
  return new ReadError(
    'PASSWORD_PROTECTED',
    `“${fileName}” is protected with a password, so it cannot be read. Open it in Excel, remove the password ` +
      '(File › Info › Protect Workbook › Encrypt with Password), save it, and open it again.',
  );
}
