/**
 * Which read of its file a run sent: the sheet, header row, encoding and delimiter the rows were read with, and the
 * size and modification time of the file then. Kept on the run (`runs.file_hash`) when it is made, so that what
 * matches rows by their numbers later — a re-run from the run's own file, the failed-rows export, Preview's
 * failed rows — can tell when the file has since been read another way (another sheet, header row, encoding or
 * delimiter) or changed on disk: its row numbers then name other rows, and those are refused in plain words.
 */
import { DELIMITER_LABELS, isDelimiter } from './detect.ts';
import type { Database } from '../journal/database.ts';

export interface ReadFingerprint {
  sheet: string | null;
  headerRow: number | null;
  encoding: string | null;
  delimiter: string | null;
  format: string | null;
  size: number;
  modifiedAt: string;
}

interface FileRecord {
  name: string;
  size: number;
  modified_at: string;
  result: string | null;
}

const fileRecord = (db: Database, fileId: string) =>
  db.prepare('SELECT name, size, modified_at, result FROM files WHERE id = ?').get(fileId) as FileRecord | undefined;

function fingerprintOf(file: FileRecord): ReadFingerprint {
  const result = (file.result ? JSON.parse(file.result) : {}) as {
    sheet?: string | null;
    headerRow?: number;
    encoding?: string;
    delimiter?: string;
    format?: string;
  };
  return {
    sheet: result.sheet ?? null,
    headerRow: result.headerRow ?? null,
    encoding: result.encoding ?? null,
    delimiter: result.delimiter ?? null,
    format: result.format ?? null,
    size: file.size,
    modifiedAt: file.modified_at,
  };
}

/** The fingerprint of a file's current read, as the text a run keeps; '' when the file is not in the app. */
export function readFingerprint(db: Database, fileId: string): string {
  const file = fileRecord(db, fileId);
  return file ? JSON.stringify(fingerprintOf(file)) : '';
}

const delimiterName = (d: string | null) => (d && isDelimiter(d) ? DELIMITER_LABELS[d].toLowerCase() : String(d));
const kb = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;

/**
 * Why a run's failed rows can no longer be found by their numbers in its own file, or null when they can (or when
 * the run predates fingerprints, or its file is gone, which is said elsewhere). Names the difference and the way out.
 */
export function rereadProblem(db: Database, runId: string): string | null {
  const run = db.prepare('SELECT file_id, file_hash FROM runs WHERE id = ?').get(runId) as
    { file_id: string | null; file_hash: string } | undefined;
  if (!run?.file_id || !run.file_hash.startsWith('{')) return null;
  const file = fileRecord(db, run.file_id);
  if (!file?.result) return null;
  const then = JSON.parse(run.file_hash) as ReadFingerprint;
  const now = fingerprintOf(file);
  const name = `“${file.name}”`;
  const corrected =
    'or re-run from a corrected file (Load the corrected file in the import’s History), whose rows are matched ' +
    'to the failed ones by their Row column and IDs.';
  const readAgain = (what: string, back: string) =>
    `${name} was read again ${what} since this import, so the failed rows’ numbers now name other rows and nothing ` +
    `is sent, exported or shown from it. Read it ${back} again in Upload, ${corrected}`;
  if (then.sheet !== now.sheet && then.sheet !== null) {
    return readAgain(`on sheet ${now.sheet ?? '(none)'}`, `on sheet ${then.sheet}`);
  }
  if (then.headerRow !== now.headerRow && then.headerRow !== null) {
    return readAgain(
      `with row ${now.headerRow ?? '?'} as its header (this import used row ${then.headerRow})`,
      `with row ${then.headerRow} as its header`,
    );
  }
  if (then.encoding !== now.encoding && then.encoding !== null) {
    return readAgain(`as ${now.encoding ?? '?'} text (this import read it as ${then.encoding})`, `as ${then.encoding}`);
  }
  if (then.delimiter !== now.delimiter && then.delimiter !== null && then.format === 'delimited') {
    return readAgain(
      `with cells split by ${delimiterName(now.delimiter)} (this import split them by ${delimiterName(then.delimiter)})`,
      `split by ${delimiterName(then.delimiter)}`,
    );
  }
  if (then.size !== now.size || then.modifiedAt !== now.modifiedAt) {
    const when = new Date(now.modifiedAt);
    const saved = Number.isNaN(when.getTime()) ? '' : `, saved ${now.modifiedAt.slice(0, 16).replace('T', ' ')} UTC`;
    const sizes =
      then.size !== now.size ? ` (${kb(then.size)} then, ${kb(now.size)} now${saved})` : ` (${saved.slice(2)})`;
    return (
      `${name} changed on disk since this import${sizes} and was read again, so the failed rows’ numbers may name ` +
      'other rows and nothing is sent, exported or shown from it. Re-run from it as a corrected file instead (Load ' +
      'the corrected file in the import’s History, and choose it): its rows are then matched to the failed ones by ' +
      'their IDs.'
    );
  }
  return null;
}
