import type { ReadResult, ReadSettings } from '../../../app/contract.ts';
import type { Database } from '../../../app/journal/database.ts';

/**
 * A loaded file as the database keeps it. Its settings and read result come JSON parsed, for the caller to check
 * with the contract's schemas: `result` is null before a read has ended well, and `undefined` (as `settings`
 * can be) when the stored text does not parse, which those schemas refuse.
 */
export interface StoredFile {
  id: string;
  name: string;
  /** Where it is read from: the path the user chose, or its copy in the uploads folder. */
  sourcePath: string;
  size: number;
  modifiedAt: string;
  /** When it was last opened (first loaded, or opened again from the recent list). */
  openedAt: string;
  /** `loading`, `ready` (read), `failed` or `cancelled`. */
  state: string;
  /** Why it could not be read, in plain words. */
  problem: string | null;
  settings: unknown;
  result: unknown;
}

interface FileRow {
  id: string;
  name: string;
  source_path: string;
  size: number;
  modified_at: string;
  created_at: string;
  state: string;
  problem: string | null;
  settings: string;
  result: string | null;
}

/**
 * The `files` table, but for its `mapping` (`file-mappings.ts`) and its corrections' version
 * (`app/messages/corrections.ts`): one row per opened file, where it is read from, its state, the settings used
 * and the read's result. Its rows are `file_blocks` (`app/read/row-store.ts`).
 */
export class FilesStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The file, or undefined when it is no longer in the app. */
  get(fileId: string): StoredFile | undefined {
    const row = this.#db.prepare('SELECT * FROM files WHERE id = ?').get(fileId) as FileRow | undefined;
    return row ? toStored(row) : undefined;
  }

  /** The files read well, the last opened first. */
  recent(limit: number): StoredFile[] {
    const rows = this.#db
      .prepare("SELECT * FROM files WHERE state = 'ready' ORDER BY created_at DESC LIMIT ?")
      .all(limit) as unknown as FileRow[];
    return rows.map(toStored);
  }

  /** Where every file is read from. */
  sourcePaths(): string[] {
    const rows = this.#db.prepare('SELECT source_path FROM files').all() as { source_path: string }[];
    return rows.map((row) => row.source_path);
  }

  /** A file opened for the first time, to be read now (state `loading`). */
  add(file: {
    id: string;
    openedAt: string;
    name: string;
    sourcePath: string;
    size: number;
    modifiedAt: string;
    settings: ReadSettings;
  }): void {
    this.#db
      .prepare(
        `INSERT INTO files (id, created_at, name, source_path, size, modified_at, state, settings)
         VALUES (?, ?, ?, ?, ?, ?, 'loading', ?)`,
      )
      .run(
        file.id,
        file.openedAt,
        file.name,
        file.sourcePath,
        file.size,
        file.modifiedAt,
        JSON.stringify(file.settings),
      );
  }

  /** A file to be read again, with `settings`, as it is on disk now (state `loading`, its problem cleared). */
  readAgain(
    fileId: string,
    { settings, size, modifiedAt }: { settings: ReadSettings; size: number; modifiedAt: string },
  ): void {
    this.#db
      .prepare(
        "UPDATE files SET state = 'loading', problem = NULL, settings = ?, size = ?, modified_at = ? WHERE id = ?",
      )
      .run(JSON.stringify(settings), size, modifiedAt, fileId);
  }

  /** The file was opened again (from the recent list) at `openedAt`. */
  opened(fileId: string, openedAt: string): void {
    this.#db.prepare('UPDATE files SET created_at = ? WHERE id = ?').run(openedAt, fileId);
  }

  /** The read ended well with `result` (state `ready`). */
  readDone(fileId: string, result: ReadResult): void {
    this.#db.prepare("UPDATE files SET state = 'ready', result = ? WHERE id = ?").run(JSON.stringify(result), fileId);
  }

  /** The reader said it stopped: cancelled, or failed with `problem`; any earlier result goes. */
  readStopped(fileId: string, ended: { state: 'failed' | 'cancelled'; problem: string | null }): void {
    this.#db
      .prepare('UPDATE files SET state = ?, problem = ?, result = NULL WHERE id = ?')
      .run(ended.state, ended.problem, fileId);
  }

  /** The read failed with `problem` (the reader crashed or stopped without a word). */
  readFailed(fileId: string, problem: string): void {
    this.#db.prepare("UPDATE files SET state = 'failed', problem = ? WHERE id = ?").run(problem, fileId);
  }

  /** A read still going when its reader was stopped on purpose is cancelled. */
  readCancelled(fileId: string): void {
    this.#db.prepare("UPDATE files SET state = 'cancelled' WHERE id = ? AND state = 'loading'").run(fileId);
  }

  /** Every read still going (cut short by a crash or a kill) failed with `problem`. */
  unfinishedReadsFailed(problem: string): void {
    this.#db.prepare("UPDATE files SET state = 'failed', problem = ? WHERE state = 'loading'").run(problem);
  }
}

function toStored(row: FileRow): StoredFile {
  return {
    id: row.id,
    name: row.name,
    sourcePath: row.source_path,
    size: row.size,
    modifiedAt: row.modified_at,
    openedAt: row.created_at,
    state: row.state,
    problem: row.problem,
    settings: parsed(row.settings),
    result: row.result === null ? null : parsed(row.result),
  };
}

/** Parsed JSON, or undefined when the text does not parse. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
