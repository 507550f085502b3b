import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * The app's one SQLite database (`node:sqlite`, WAL). Main owns it: loaded rows, mappings, runs, batches and their
 * outcomes all live here. Schema changes are append-only migrations; the database records how many it has applied
 * (`PRAGMA user_version`), so opening an older file brings it up to date and opening a newer one is refused.
 */
export type Database = DatabaseSync;

/** Each entry moves the schema one version forward. Never edit an entry that has shipped; add a new one. */
const MIGRATIONS: readonly string[] = [
  // 1: preferences and the run list History shows.
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    workspace_name TEXT NOT NULL,
    state TEXT NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX runs_by_created_at ON runs (created_at DESC);
  `,
  // 2: loaded spreadsheets and their rows, in blocks (see app/read/row-store.ts).
  `
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    modified_at TEXT NOT NULL,
    state TEXT NOT NULL,
    problem TEXT,
    settings TEXT NOT NULL DEFAULT '{}',
    result TEXT
  ) STRICT;
  CREATE INDEX files_by_created_at ON files (created_at DESC);
  CREATE TABLE file_blocks (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    block INTEGER NOT NULL,
    rows TEXT NOT NULL,
    PRIMARY KEY (file_id, block)
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: Vitally workspaces. Their tokens are in the OS keychain, never here.
  `
  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    base_url TEXT NOT NULL,
    subdomain TEXT,
    token_storage TEXT
  ) STRICT;
  `,
  // 4: the run journal: what a run sends, batch by batch, and what became of each (see app/journal/journal.ts).
  `
  ALTER TABLE runs ADD COLUMN workspace_id TEXT;
  ALTER TABLE runs ADD COLUMN base_url TEXT NOT NULL DEFAULT '';
  ALTER TABLE runs ADD COLUMN file_id TEXT;
  ALTER TABLE runs ADD COLUMN file_hash TEXT NOT NULL DEFAULT '';
  ALTER TABLE runs ADD COLUMN mapping TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE runs ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE run_batches (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq REAL NOT NULL,
    messages TEXT NOT NULL,
    types TEXT NOT NULL,
    source_rows TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    reason TEXT,
    sends INTEGER NOT NULL DEFAULT 0,
    unknowns INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX run_batches_by_state ON run_batches (run_id, state, seq);
  `,
  // 5: the mapping chosen for a loaded file.
  `
  ALTER TABLE files ADD COLUMN mapping TEXT;
  `,
  // 6: a file's preview under its mapping: counts, the rows with problems, and where each batch starts.
  `
  CREATE TABLE previews (
    file_id TEXT PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    mapping TEXT NOT NULL,
    run_timestamp TEXT NOT NULL,
    state TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE TABLE preview_problems (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    severity TEXT NOT NULL,
    problems TEXT NOT NULL,
    PRIMARY KEY (file_id, row_number)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE preview_batches (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    batch INTEGER NOT NULL,
    first_row INTEGER NOT NULL,
    first_message INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    types TEXT NOT NULL,
    PRIMARY KEY (file_id, batch)
  ) STRICT, WITHOUT ROWID;
  `,
  // 7: messages a preview leaves out because an earlier (or, by the mapping's rule, a later) row sends the same
  // entity: an account on 500 user rows is sent once.
  `
  CREATE TABLE preview_skipped (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    message_index INTEGER NOT NULL,
    PRIMARY KEY (file_id, row_number, message_index)
  ) STRICT, WITHOUT ROWID;
  `,
  // 8: the user's corrections for a file's next run, made in Preview: cells edited in place (the file on disk is
  // never changed) and rows left out. `seq` is the row's place among the file's data rows. `edits_version` counts
  // changes, so a preview made before the latest one is known to be out of date.
  `
  CREATE TABLE row_edits (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    column_index INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    value TEXT NOT NULL,
    original TEXT NOT NULL,
    edited_at TEXT NOT NULL,
    PRIMARY KEY (file_id, row_number, column_index)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE row_exclusions (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (file_id, row_number)
  ) STRICT, WITHOUT ROWID;
  ALTER TABLE files ADD COLUMN edits_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE previews ADD COLUMN edits_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE preview_problems ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  `,
  // 9: mapping templates: a mapping saved under a name, offered for files with the columns it uses.
  `
  CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    columns TEXT NOT NULL,
    mapping TEXT NOT NULL
  ) STRICT;
  `,
  // 10: a check writes its rows under a generation of its own and readers see only the current one, so a check
  // in progress never shows half done and never holds the database for long. The tables hold derived data:
  // they start empty, and each file is checked again when its Preview opens.
  `
  DROP TABLE preview_problems;
  DROP TABLE preview_batches;
  DROP TABLE preview_skipped;
  DELETE FROM previews;
  ALTER TABLE previews ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE preview_problems (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    severity TEXT NOT NULL,
    problems TEXT NOT NULL,
    PRIMARY KEY (file_id, generation, row_number)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE preview_batches (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    batch INTEGER NOT NULL,
    first_row INTEGER NOT NULL,
    first_message INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    types TEXT NOT NULL,
    PRIMARY KEY (file_id, generation, batch)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE preview_skipped (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    message_index INTEGER NOT NULL,
    PRIMARY KEY (file_id, generation, row_number, message_index)
  ) STRICT, WITHOUT ROWID;
  `,
  // 11: one sender per run. `owner` is the live sender (`<pid>:<id>`) and `owner_seen` its last heartbeat, in ms;
  // a run whose owner is gone can be taken over and recovered (see app/journal/journal.ts). `already_accepted`
  // counts the messages an earlier run of the same file had delivered, which this run does not send again.
  `
  ALTER TABLE runs ADD COLUMN owner TEXT;
  ALTER TABLE runs ADD COLUMN owner_seen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN already_accepted INTEGER NOT NULL DEFAULT 0;
  `,
  // 12: re-runs and History. `kind` says whether a run sent a file ('send'), a trial of its first rows ('trial')
  // or the failed rows of an earlier run ('rerun', whose `parent_run_id` names it); `left_out` counts by message
  // type what earlier runs had delivered; `ended_at` and each batch's `sent_at`/`answered_at` say what was sent
  // when, for the run report.
  `
  ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'send';
  ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
  ALTER TABLE runs ADD COLUMN left_out TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE runs ADD COLUMN ended_at TEXT;
  ALTER TABLE run_batches ADD COLUMN sent_at TEXT;
  ALTER TABLE run_batches ADD COLUMN answered_at TEXT;
  UPDATE runs SET kind = 'trial' WHERE json_extract(options, '$.rowLimit') IS NOT NULL;
  CREATE INDEX runs_by_parent ON runs (parent_run_id);
  `,
  // 13: a run's counts kept as its batches change, in the same transaction as each change, so that reading them
  // never re-counts the batches' JSON (a million-message run has 10,000 batches). `run_state_counts` holds, per
  // batch state, how many batches and messages are in it; `run_type_counts` how many messages of each type.
  // Triggers keep both exact whatever writes `run_batches` (outcomes, splits, recovery, messages left out).
  `
  CREATE TABLE run_state_counts (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    batches INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    PRIMARY KEY (run_id, state)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE run_type_counts (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    type TEXT NOT NULL,
    messages INTEGER NOT NULL,
    PRIMARY KEY (run_id, state, type)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO run_state_counts (run_id, state, batches, messages)
    SELECT run_id, state, COUNT(*), SUM(json_array_length(types)) FROM run_batches GROUP BY run_id, state;
  INSERT INTO run_type_counts (run_id, state, type, messages)
    SELECT b.run_id, b.state, t.value, COUNT(*) FROM run_batches b, json_each(b.types) t
     GROUP BY b.run_id, b.state, t.value;
  CREATE TRIGGER run_batches_count_insert AFTER INSERT ON run_batches BEGIN
    INSERT INTO run_state_counts (run_id, state, batches, messages)
      VALUES (NEW.run_id, NEW.state, 1, json_array_length(NEW.types))
      ON CONFLICT (run_id, state) DO UPDATE SET batches = batches + 1, messages = messages + excluded.messages;
    INSERT INTO run_type_counts (run_id, state, type, messages)
      SELECT NEW.run_id, NEW.state, value, COUNT(*) FROM json_each(NEW.types) WHERE true GROUP BY value
      ON CONFLICT (run_id, state, type) DO UPDATE SET messages = messages + excluded.messages;
  END;
  CREATE TRIGGER run_batches_count_delete AFTER DELETE ON run_batches BEGIN
    UPDATE run_state_counts SET batches = batches - 1, messages = messages - json_array_length(OLD.types)
     WHERE run_id = OLD.run_id AND state = OLD.state;
    UPDATE run_type_counts
       SET messages = messages - (SELECT COUNT(*) FROM json_each(OLD.types) t WHERE t.value = run_type_counts.type)
     WHERE run_id = OLD.run_id AND state = OLD.state AND type IN (SELECT value FROM json_each(OLD.types));
  END;
  CREATE TRIGGER run_batches_count_update AFTER UPDATE OF state, types ON run_batches
    WHEN OLD.state IS NOT NEW.state OR OLD.types IS NOT NEW.types BEGIN
    UPDATE run_state_counts SET batches = batches - 1, messages = messages - json_array_length(OLD.types)
     WHERE run_id = OLD.run_id AND state = OLD.state;
    UPDATE run_type_counts
       SET messages = messages - (SELECT COUNT(*) FROM json_each(OLD.types) t WHERE t.value = run_type_counts.type)
     WHERE run_id = OLD.run_id AND state = OLD.state AND type IN (SELECT value FROM json_each(OLD.types));
    INSERT INTO run_state_counts (run_id, state, batches, messages)
      VALUES (NEW.run_id, NEW.state, 1, json_array_length(NEW.types))
      ON CONFLICT (run_id, state) DO UPDATE SET batches = batches + 1, messages = messages + excluded.messages;
    INSERT INTO run_type_counts (run_id, state, type, messages)
      SELECT NEW.run_id, NEW.state, value, COUNT(*) FROM json_each(NEW.types) WHERE true GROUP BY value
      ON CONFLICT (run_id, state, type) DO UPDATE SET messages = messages + excluded.messages;
  END;
  `,
  // 14: a check's problems carry the values their words show (`params`, `app/messages/problems.ts`). Checks stored
  // before have none: their derived rows go, and each file is checked again when its Preview opens. The previews'
  // rows stay, with their run timestamps, so no message's id changes.
  `
  DELETE FROM preview_problems;
  DELETE FROM preview_batches;
  DELETE FROM preview_skipped;
  UPDATE previews SET state = 'none', summary = '{}';
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class DatabaseTooNewError extends Error {
  constructor(found: number) {
    super(
      `The app's database was written by a newer version of Vitally Importer (schema ${found}, this version knows ` +
        `${SCHEMA_VERSION}). Update the app to open it; nothing in it has been changed.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * `durable` (the default) commits with `synchronous = FULL`: a committed transaction survives a power cut, as the
 * run journal promises. Connections that only write what can be made again (a file's rows being loaded, a
 * preview's derived rows) pass `durable: false` for `NORMAL`, which survives a crash of the app but may lose the
 * last transactions to a power cut.
 */
export function openDatabase(file: string, options: { durable?: boolean } = {}): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file);
  } catch (error) {
    throw isDamage(error) ? new DatabaseDamagedError(file) : error;
  }
  try {
    const synchronous = options.durable === false ? 'NORMAL' : 'FULL';
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}; PRAGMA foreign_keys = ON;`);
    db.exec('PRAGMA busy_timeout = 5000;');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw isDamage(error) ? new DatabaseDamagedError(file) : error;
  }
}

/** SQLite's SQLITE_CORRUPT and SQLITE_NOTADB: the file is not, or no longer, a database it can read. */
function isDamage(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && ((code & 0xff) === 11 || (code & 0xff) === 26);
}

export class DatabaseDamagedError extends Error {
  readonly file: string;
  constructor(file: string) {
    super(`The app's database (${file}) is damaged: SQLite cannot read it.`);
    this.name = 'DatabaseDamagedError';
    this.file = file;
  }
}

/**
 * Moves a damaged database (and its WAL and shared-memory files) aside, under a name that says so and when, so
 * that the app can start with a new one and nothing in the old one is lost. Returns the new name of the file.
 */
export function setAsideDamagedDatabase(file: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = join(dirname(file), `${basename(file, '.sqlite')}.damaged-${stamp}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

function migrate(db: Database): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  const current = row?.user_version ?? 0;
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(current);
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
