/**
 * The previews tables, typed: `previews` (a file's check: the mapping it was made under, its default timestamp,
 * its state and counts, and which generation of rows readers see), and the rows a check writes under its
 * generation — `preview_problems` (rows with problems), `preview_batches` (where each batch begins) and
 * `preview_skipped` (messages left out as repeats). Every query of these tables is here; the check (app/preview/),
 * the default timestamp (app/messages/run-timestamp.ts) and main's services call these functions. It sits in
 * journal/, beneath every folder that uses it. JSON is written and parsed here; what only a higher folder's schema
 * can check (a mapping, a problem) comes back parsed but `unknown`, for the caller to check with that schema.
 */
import type { Database } from './database.ts';

/** A check's counts, as `previews.summary` keeps them. */
export interface PreviewSummary {
  rows: number;
  /** Messages left out because another row sends the same entity. */
  repeatsSkipped: number;
  /** Rows that make messages (no errors, not left out). */
  sendableRows: number;
  /** Rows the user left out of the run. */
  excludedRows: number;
  /** Cells the user edited, and the rows they are on. */
  editedCells: number;
  editedRows: number;
  errorRows: number;
  warningRows: number;
  messages: number;
  messagesByType: Record<string, number>;
  batches: number;
  bytes: number;
}

/** Where a batch begins (row and message), and what it holds. */
export interface BatchInfo {
  batch: number;
  firstRow: number;
  firstMessage: number;
  messages: number;
  bytes: number;
  types: Record<string, number>;
}

/** How bad a row's problems are: errors keep it from being sent. */
export type ProblemSeverity = 'error' | 'warning';

/**
 * A file's `previews` row: `none` (only its default timestamp, no check yet), `building`, `ready`, `failed`, or
 * `stale` (its rows were read again).
 */
export interface PreviewRecord {
  /** The mapping the check was made under, JSON parsed (null when none): callers check it with the mapping's schema. */
  mapping: unknown;
  /** The same mapping exactly as stored, to compare with the file's mapping as stored. */
  mappingText: string;
  runTimestamp: string;
  state: string;
  /** The counts, JSON parsed (null when unreadable): callers check them with the summary's schema. */
  summary: unknown;
  /** The corrections' version the check was made with. */
  editsVersion: number;
}

/** A file's preview row, if it has one. */
export function previewOf(db: Database, fileId: string): PreviewRecord | undefined {
  const row = db
    .prepare('SELECT mapping, run_timestamp, state, summary, edits_version FROM previews WHERE file_id = ?')
    .get(fileId) as
    { mapping: string; run_timestamp: string; state: string; summary: string; edits_version: number } | undefined;
  if (!row) return undefined;
  return {
    mapping: safeJson(row.mapping),
    mappingText: row.mapping,
    runTimestamp: row.run_timestamp,
    state: row.state,
    summary: safeJson(row.summary),
    editsVersion: row.edits_version,
  };
}

/** The file's kept default timestamp, if it has one. */
export function keptRunTimestamp(db: Database, fileId: string): string | undefined {
  const row = db.prepare('SELECT run_timestamp FROM previews WHERE file_id = ?').get(fileId) as
    { run_timestamp: string } | undefined;
  return row?.run_timestamp;
}

/**
 * Keeps `runTimestamp` as the file's default timestamp in a preview row with no check yet (state `none`). With
 * `replace`, it takes the place of one kept already, and a check made under another timestamp is to be made
 * again (state `none`); without it, one kept already stays.
 */
export function storeRunTimestamp(
  db: Database,
  fileId: string,
  { createdAt, runTimestamp, replace }: { createdAt: string; runTimestamp: string; replace: boolean },
): void {
  const onConflict = replace
    ? `DO UPDATE SET run_timestamp = excluded.run_timestamp,
         state = CASE WHEN previews.run_timestamp = excluded.run_timestamp THEN previews.state ELSE 'none' END`
    : 'DO NOTHING';
  db.prepare(
    `INSERT INTO previews (file_id, created_at, mapping, run_timestamp, state) VALUES (?, ?, '', ?, 'none')
     ON CONFLICT (file_id) ${onConflict}`,
  ).run(fileId, createdAt, runTimestamp);
}

/** Records a check begun (state `building`, no counts yet) under `mapping`, the timestamp and the corrections. */
export function startCheck(
  db: Database,
  check: { fileId: string; createdAt: string; mapping: unknown; runTimestamp: string; editsVersion: number },
): void {
  db.prepare(
    `INSERT INTO previews (file_id, created_at, mapping, run_timestamp, state, edits_version)
     VALUES (?, ?, ?, ?, 'building', ?)
     ON CONFLICT (file_id) DO UPDATE SET created_at = excluded.created_at, mapping = excluded.mapping,
       run_timestamp = excluded.run_timestamp, state = 'building', summary = '{}',
       edits_version = excluded.edits_version`,
  ).run(check.fileId, check.createdAt, JSON.stringify(check.mapping), check.runTimestamp, check.editsVersion);
}

/** Marks the check begun at `createdAt` failed (not a newer one). */
export function checkFailed(db: Database, fileId: string, createdAt: string): void {
  db.prepare("UPDATE previews SET state = 'failed' WHERE file_id = ? AND created_at = ?").run(fileId, createdAt);
}

/** Marks a finished check out of date (the file's rows were read again); its default timestamp is kept. */
export function checkStale(db: Database, fileId: string): void {
  // A check still going is of the old rows too: it must not become the Preview when it ends (`makeCurrent`).
  db.prepare("UPDATE previews SET state = 'stale' WHERE file_id = ? AND state IN ('ready', 'building')").run(fileId);
}

/**
 * Makes a finished check the one readers see (`ready`, with its counts and generation), unless another check was
 * asked for since (the record's `created_at` is the request's), or the file was read again (`checkStale`).
 * Says whether it did: a check that did not must not forget the others' rows, a newer one's among them.
 */
export function makeCurrent(
  db: Database,
  done: { fileId: string; requestedAt: string; runTimestamp: string; generation: number; summary: PreviewSummary },
): boolean {
  const changed = db
    .prepare(
      `UPDATE previews SET state = 'ready', summary = ?, generation = ?
         WHERE file_id = ? AND created_at = ? AND run_timestamp = ? AND state = 'building'`,
    )
    .run(JSON.stringify(done.summary), done.generation, done.fileId, done.requestedAt, done.runTimestamp);
  return Number(changed.changes) > 0;
}

/** The generation of a file's check that readers see (0 before the first one is done). */
export function currentGeneration(db: Database, fileId: string): number {
  const row = db.prepare('SELECT generation FROM previews WHERE file_id = ?').get(fileId) as
    { generation: number } | undefined;
  return row?.generation ?? 0;
}

/**
 * Removes what checks other than the current one and `keep` wrote (finished earlier, or cut short), a few
 * thousand rows per transaction.
 */
export function forgetOtherChecks(db: Database, fileId: string, keep: number): void {
  const current = currentGeneration(db, fileId);
  for (const [table, key] of [
    ['preview_problems', 'row_number'],
    ['preview_batches', 'batch'],
    ['preview_skipped', 'row_number, message_index'],
  ] as const) {
    const remove = db.prepare(
      `DELETE FROM ${table} WHERE (file_id, generation, ${key}) IN (SELECT file_id, generation, ${key} FROM ${table}
         WHERE file_id = ? AND generation NOT IN (?, ?) LIMIT 5000)`,
    );
    while (Number(remove.run(fileId, current, keep).changes) > 0);
  }
}

/** What a check writes under its generation, with its statements prepared once (the caller holds transactions). */
export function checkWriter(db: Database, fileId: string, generation: number) {
  const insertSkipped = db.prepare(
    'INSERT INTO preview_skipped (file_id, generation, row_number, message_index) VALUES (?, ?, ?, ?)',
  );
  const insertProblem = db.prepare(
    'INSERT INTO preview_problems (file_id, generation, row_number, seq, severity, problems) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertBatch = db.prepare(
    `INSERT INTO preview_batches (file_id, generation, batch, first_row, first_message, messages, bytes, types)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    /** The row's message at `index` is left out: another row sends its entity. */
    skipped(rowNumber: number, index: number): void {
      insertSkipped.run(fileId, generation, rowNumber, index);
    },
    /** The row (at `seq` among the data rows) has problems. */
    problems(rowNumber: number, seq: number, severity: ProblemSeverity, problems: readonly unknown[]): void {
      insertProblem.run(fileId, generation, rowNumber, seq, severity, JSON.stringify(problems));
    },
    batch(info: BatchInfo): void {
      const { batch, firstRow, firstMessage, messages, bytes, types } = info;
      insertBatch.run(fileId, generation, batch, firstRow, firstMessage, messages, bytes, JSON.stringify(types));
    },
  };
}

/** Finds, for rows `first` to `last`, the messages a check of `generation` left out as repeats. */
export function skippedReader(
  db: Database,
  fileId: string,
  generation: number,
): (first: number, last: number) => { row: number; i: number }[] {
  const skippedIn = db.prepare(
    `SELECT row_number AS row, message_index AS i FROM preview_skipped
      WHERE file_id = ? AND generation = ? AND row_number BETWEEN ? AND ?`,
  );
  return (first, last) => skippedIn.all(fileId, generation, first, last) as { row: number; i: number }[];
}

/** A row with problems, as the current check found them (JSON parsed: callers check them with the problem schema). */
export interface ProblemRow {
  rowNumber: number;
  severity: ProblemSeverity;
  problems: unknown;
}

/** The current check's rows with problems numbered `first` to `last`. */
export function problemRowsBetween(db: Database, fileId: string, first: number, last: number): ProblemRow[] {
  const rows = db
    .prepare(
      `SELECT row_number AS rowNumber, severity, problems FROM preview_problems
        WHERE file_id = ? AND generation = ? AND row_number BETWEEN ? AND ?`,
    )
    .all(fileId, currentGeneration(db, fileId), first, last) as unknown as StoredProblemRow[];
  return rows.map(problemRow);
}

/** A page of the current check's rows with problems, and how many there are. */
export function problemRowsPage(
  db: Database,
  fileId: string,
  { offset, limit }: { offset: number; limit: number },
): { rows: ProblemRow[]; total: number } {
  const generation = currentGeneration(db, fileId);
  const rows = db
    .prepare(
      `SELECT row_number AS rowNumber, severity, problems FROM preview_problems WHERE file_id = ? AND generation = ?
        ORDER BY row_number LIMIT ? OFFSET ?`,
    )
    .all(fileId, generation, limit, offset) as unknown as StoredProblemRow[];
  const total = (
    db
      .prepare('SELECT COUNT(*) AS n FROM preview_problems WHERE file_id = ? AND generation = ?')
      .get(fileId, generation) as { n: number }
  ).n;
  return { rows: rows.map(problemRow), total };
}

/** A page of the places among the data rows (`seq`) of the current check's rows with `severity`, and how many. */
export function problemSeqsPage(
  db: Database,
  fileId: string,
  { severity, offset, limit }: { severity: ProblemSeverity; offset: number; limit: number },
): { seqs: number[]; total: number } {
  const generation = currentGeneration(db, fileId);
  const seqs = db
    .prepare(
      `SELECT seq FROM preview_problems WHERE file_id = ? AND generation = ? AND severity = ?
        ORDER BY row_number LIMIT ? OFFSET ?`,
    )
    .all(fileId, generation, severity, limit, offset) as { seq: number }[];
  const total = db
    .prepare('SELECT COUNT(*) AS n FROM preview_problems WHERE file_id = ? AND generation = ? AND severity = ?')
    .get(fileId, generation, severity) as { n: number };
  return { seqs: seqs.map((row) => row.seq), total: total.n };
}

/** A page of the current check's batches, in order. */
export function batchesPage(
  db: Database,
  fileId: string,
  { offset, limit }: { offset: number; limit: number },
): BatchInfo[] {
  const rows = db
    .prepare(
      `SELECT batch, first_row AS firstRow, first_message AS firstMessage, messages, bytes, types
         FROM preview_batches WHERE file_id = ? AND generation = ? ORDER BY batch LIMIT ? OFFSET ?`,
    )
    .all(fileId, currentGeneration(db, fileId), limit, offset) as (Omit<BatchInfo, 'types'> & { types: string })[];
  return rows.map((row) => ({ ...row, types: JSON.parse(row.types) as Record<string, number> }));
}

interface StoredProblemRow {
  rowNumber: number;
  severity: ProblemSeverity;
  problems: string;
}

function problemRow(row: StoredProblemRow): ProblemRow {
  return { ...row, problems: JSON.parse(row.problems) as unknown };
}

/** Parsed JSON, or null when the text is empty or does not parse. */
function safeJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
