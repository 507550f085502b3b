import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  RunBatch,
  RunDetails,
  type RunExportFormat,
  type RunRow,
  type RunRowFilter,
  type RunSummary,
} from '../../app/contract.ts';
import { editCell } from '../../app/messages/corrections.ts';
import { csvChunks, NEUTRALISED, restoreCell } from '../../app/export/csv.ts';
import { withColumnRenamed } from '../../app/map/integrity.ts';
import {
  ERROR_COLUMN,
  ERROR_COLUMN_ALT,
  failedRowsTable,
  FileGoneError,
  REPORT_HEADER,
  reportJson,
  reportLines,
  ROW_COLUMN,
  ROW_COLUMN_ALT,
  RunNotFoundError,
  RunRows,
  type DescribedMessage,
} from '../../app/export/run-export.ts';
import { xlsxLimitProblem, xlsxWorkbook } from '../../app/export/xlsx.ts';
import type { Database } from '../../app/journal/database.ts';
import { Journal } from '../../app/journal/journal.ts';
import {
  countsByType,
  runMessages,
  type MessageOutcome,
  type RunMessage,
  type TypeCounts,
} from '../../app/journal/outcomes.ts';
import { rereadProblem } from '../../app/read/fingerprint.ts';
import { Mapping } from '../../app/map/mapping.ts';
import { readRowPage } from '../../app/read/row-store.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';
import type { RunsService } from './runs.ts';

const FILTER_OUTCOMES: Record<RunRowFilter, readonly MessageOutcome[] | undefined> = {
  failed: ['rejected', 'unknown'],
  rejected: ['rejected'],
  unknown: ['unknown'],
  accepted: ['accepted'],
  'not-sent': ['not-sent'],
  'left-out': ['left-out'],
  all: undefined,
};

const RETENTION_KEY = 'retentionDays';

/** An export ready to be written: to the path the desktop's Save dialog gave, or as the browser's download. */
export interface RunExport {
  fileName: string;
  contentType: string;
  rows: number;
  write: (out: Writable) => Promise<void>;
}

/**
 * Results and History's opened import: what became of each message, by spreadsheet row and in plain words; the
 * batches with their exact JSON and answers; exports of the failed rows (CSV, Excel) and of the run report (CSV,
 * JSON); deleting an import's stored data and keeping imports only so long (the retention setting).
 */
export class ResultsService {
  readonly #db: Database;
  readonly #journal: Journal;
  readonly #files: FilesService;
  readonly #runs: RunsService;

  constructor(options: { db: Database; files: FilesService; runs: RunsService }) {
    this.#db = options.db;
    this.#journal = new Journal(options.db);
    this.#files = options.files;
    this.#runs = options.runs;
  }

  details(runId: string): RunDetails {
    const summary = this.#summary(runId);
    const row = this.#db
      .prepare('SELECT base_url, options, ended_at, created_at FROM runs WHERE id = ?')
      .get(runId) as { base_url: string; options: string; ended_at: string | null; created_at: string };
    const options = JSON.parse(row.options) as { rowLimit?: number | null; includeUnknown?: boolean };
    const byType = countsByType(this.#db, runId);
    const totals: TypeCounts = { accepted: 0, rejected: 0, unknown: 0, notSent: 0, leftOut: 0 };
    for (const counts of Object.values(byType)) {
      for (const key of Object.keys(totals) as (keyof TypeCounts)[]) totals[key] += counts[key];
    }
    const parent = summary.parentRunId
      ? ((this.#db
          .prepare('SELECT id, created_at AS createdAt, file_name AS fileName FROM runs WHERE id = ?')
          .get(summary.parentRunId) as { id: string; createdAt: string; fileName: string } | undefined) ?? null)
      : null;
    const children = (
      this.#db.prepare('SELECT id FROM runs WHERE parent_run_id = ? ORDER BY created_at').all(runId) as { id: string }[]
    ).map((child) => this.#summary(child.id));
    const batches = this.#db
      .prepare("SELECT COUNT(*) AS n FROM run_batches WHERE run_id = ? AND state <> 'split'")
      .get(runId) as { n: number };
    const fileAvailable =
      summary.fileId !== null &&
      this.#db.prepare("SELECT 1 FROM files WHERE id = ? AND state = 'ready'").get(summary.fileId) !== undefined;
    return RunDetails.parse({
      ...summary,
      baseUrl: row.base_url,
      byType,
      totals,
      batches: batches.n,
      durationMs: row.ended_at ? Math.max(0, Date.parse(row.ended_at) - Date.parse(row.created_at)) : null,
      rowLimit: options.rowLimit ?? null,
      includeUnknown: options.includeUnknown ?? false,
      parent: parent ? { ...parent } : null,
      reruns: children,
      fileAvailable,
      fileProblem: fileAvailable ? rereadProblem(this.#db, runId) : null,
    });
  }

  /** A page of the import's messages under a filter and a search (row number, type, a value or ID, the reason). */
  rows(
    runId: string,
    filter: RunRowFilter,
    offset: number,
    limit: number,
    type?: string,
    search?: string,
  ): { rows: RunRow[]; total: number } {
    const reader = this.#reader(runId);
    const needle = search?.trim().toLowerCase() ?? '';
    const wanted = (message: RunMessage) =>
      (!type || message.type === type) &&
      // The search reads the message itself (its IDs and values), its row number and Vitally's reason: cheap,
      // and what a user searches for. The plain-words text is made only for the rows shown.
      (!needle || matches(message.json, message.rowNumber, message.reason, message.type, needle));
    const messages = runMessages(this.#db, runId, FILTER_OUTCOMES[filter]);
    if (filter === 'failed' || filter === 'rejected' || filter === 'unknown') {
      // Failed messages are few: shown in row order (a refused batch's halves come back in any order).
      const found = [...messages].filter(wanted).sort((a, b) => a.rowNumber - b.rowNumber);
      return {
        rows: found.slice(offset, offset + limit).map((m) => toRunRow(reader.describe(m))),
        total: found.length,
      };
    }
    const rows: RunRow[] = [];
    let total = 0;
    for (const message of messages) {
      if (!wanted(message)) continue;
      if (total >= offset && rows.length < limit) rows.push(toRunRow(reader.describe(message)));
      total++;
    }
    return { rows, total };
  }

  batches(runId: string, offset: number, limit: number): { batches: RunBatch[]; total: number } {
    this.#summary(runId);
    const rows = this.#db
      .prepare(
        `SELECT id, state, status, reason, json_array_length(messages) AS messages, source_rows, sends,
                sent_at AS sentAt, answered_at AS answeredAt
           FROM run_batches WHERE run_id = ? AND state <> 'split' ORDER BY seq LIMIT ? OFFSET ?`,
      )
      .all(runId, limit, offset) as (Omit<RunBatch, 'firstRow' | 'lastRow'> & { source_rows: string })[];
    const total = this.#db
      .prepare("SELECT COUNT(*) AS n FROM run_batches WHERE run_id = ? AND state <> 'split'")
      .get(runId) as { n: number };
    return {
      batches: rows.map(({ source_rows, ...batch }) => {
        const sourceRows = JSON.parse(source_rows) as number[];
        return RunBatch.parse({
          ...batch,
          firstRow: sourceRows.length > 0 ? Math.min(...sourceRows) : null,
          lastRow: sourceRows.length > 0 ? Math.max(...sourceRows) : null,
        });
      }),
      total: total.n,
    };
  }

  /** A batch exactly as it was sent (its messages in an array, as the request body), and Vitally's answer. */
  batch(runId: string, batchId: string): { body: string; response: string; rows: number[] } {
    const row = this.#db
      .prepare(
        'SELECT messages, source_rows, state, status, reason, sends FROM run_batches WHERE run_id = ? AND id = ?',
      )
      .get(runId, batchId) as
      | {
          messages: string;
          source_rows: string;
          state: string;
          status: number | null;
          reason: string | null;
          sends: number;
        }
      | undefined;
    if (!row) throw new ServiceError('NOT_FOUND', 'That batch is no longer in the app.');
    const messages = JSON.parse(row.messages) as string[];
    return {
      body: `[${messages.join(',')}]`,
      response: responseText(row),
      rows: JSON.parse(row.source_rows) as number[],
    };
  }

  /** An export of the import: its failed rows as CSV or Excel, or its report as CSV or JSON. */
  export(runId: string, format: RunExportFormat, includeUnknown: boolean): RunExport {
    const reader = this.#reader(runId);
    const summary = this.#summary(runId);
    const base = `${stem(summary.fileName)} – ${summary.createdAt.slice(0, 10)}`;
    try {
      switch (format) {
        case 'failed-csv':
        case 'failed-xlsx': {
          // Rows are found by their numbers: not in a file read another way since (they would be others).
          const reread = rereadProblem(this.#db, runId);
          if (reread) throw new ServiceError('FAILED_PRECONDITION', reread);
          const { header, lines } = failedRowsTable(reader, includeUnknown);
          if (format === 'failed-csv') {
            return {
              fileName: `${base} – failed rows.csv`,
              contentType: 'text/csv; charset=utf-8',
              rows: lines.length,
              write: (out) => writeChunks(out, csvChunks(header, lines)),
            };
          }
          // `Row` is the second-to-last column: the line's row in the file.
          const tooBig = xlsxLimitProblem(header, lines, (line) => line[header.length - 2] ?? '');
          if (tooBig) throw new ServiceError('FAILED_PRECONDITION', tooBig);
          const workbook = xlsxWorkbook('Failed rows', header, lines);
          return {
            fileName: `${base} – failed rows.xlsx`,
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            rows: lines.length,
            write: (out) => writeChunks(out, [workbook]),
          };
        }
        case 'report-csv':
          return {
            fileName: `${base} – report.csv`,
            contentType: 'text/csv; charset=utf-8',
            rows: summary.accepted + summary.rejected,
            write: (out) => writeChunks(out, csvChunks(REPORT_HEADER, reportLines(reader))),
          };
        case 'report-json':
          return {
            fileName: `${base} – report.json`,
            contentType: 'application/json; charset=utf-8',
            rows: summary.accepted + summary.rejected,
            write: (out) => writeChunks(out, reportJson(this.details(runId), reader)),
          };
      }
    } catch (error) {
      if (error instanceof FileGoneError) throw new ServiceError('FAILED_PRECONDITION', error.message);
      throw error;
    }
  }

  /**
   * A corrected file loaded to re-run an import's failed rows: it takes that import's mapping when it has every
   * column the mapping uses, and a CSV export's neutralising apostrophe (`'=…`) is taken back from each cell as an
   * edit the user sees in Preview.
   */
  adoptRerunFile(runId: string, fileId: string): { mapped: boolean; restoredCells: number; message: string } {
    const run = this.#db.prepare('SELECT mapping, file_name, options FROM runs WHERE id = ?').get(runId) as
      { mapping: string; file_name: string; options: string } | undefined;
    if (!run) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    const file = this.#files.get(fileId);
    if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
    this.#keepRunTimestamp(run.options, fileId);
    const columns = file.result.columns.map((c) => c.name);
    const parsed = Mapping.safeParse(JSON.parse(run.mapping));
    let mapping = parsed.success ? parsed.data : null;
    // A column whose name the export neutralised (`'=Total`) is the mapping's column of that name.
    for (const column of columns) {
      const original = restoreCell(column);
      if (mapping && original !== column && !columns.includes(original)) {
        mapping = withColumnRenamed(mapping, original, column);
      }
    }
    const used = mapping ? usedColumns(mapping) : [];
    const missing = used.filter((c) => !columns.includes(c));
    let mapped = false;
    if (mapping && missing.length === 0) {
      this.#db.prepare('UPDATE files SET mapping = ? WHERE id = ?').run(JSON.stringify(mapping), fileId);
      mapped = true;
    }
    // The apostrophe the CSV export put before cells Excel would run as formulas.
    let restoredCells = 0;
    const rowColumns = new Set([ROW_COLUMN, ROW_COLUMN_ALT, ERROR_COLUMN, ERROR_COLUMN_ALT]);
    const count = file.result.rowCount;
    for (let offset = 0; offset < count; offset += 1000) {
      for (const [rowNumber, ...cells] of readRowPage(this.#db, fileId, offset, 1000)) {
        cells.forEach((cell, column) => {
          if (rowColumns.has(columns[column] ?? '') || !NEUTRALISED.test(cell)) return;
          editCell(this.#db, fileId, rowNumber, column, restoreCell(cell), columns.length);
          restoredCells++;
        });
      }
    }
    const restored =
      restoredCells > 0
        ? ` ${restoredCells} ${restoredCells === 1 ? 'cell' : 'cells'} had the apostrophe the export puts before ` +
          'formula-like values; it is taken back (shown as edits in Preview).'
        : '';
    const message = mapped
      ? `“${file.name}” uses the mapping of “${run.file_name}”.${restored}`
      : `“${file.name}” lacks ${missing.map((c) => `“${c}”`).join(', ')}, which the mapping of “${run.file_name}” ` +
        `uses: map its columns in Map.${restored}`;
    return { mapped, restoredCells, message };
  }

  /**
   * A corrected file takes the default timestamp (decision 6) of the import it corrects, so a row left as it was
   * is the very message sent before, messageId included: an unconfirmed message sent again is one Vitally keeps
   * once, and an event is not re-stamped. Not for a file that has been sent already, whose ids are on record.
   */
  #keepRunTimestamp(runOptions: string, fileId: string): void {
    const { runTimestamp } = JSON.parse(runOptions) as { runTimestamp?: unknown };
    if (typeof runTimestamp !== 'string' || Number.isNaN(Date.parse(runTimestamp))) return;
    if (this.#db.prepare('SELECT 1 FROM runs WHERE file_id = ? LIMIT 1').get(fileId)) return;
    // A check made under another timestamp is made again (its batches would carry other ids).
    this.#db
      .prepare(
        `INSERT INTO previews (file_id, created_at, mapping, run_timestamp, state) VALUES (?, ?, '', ?, 'none')
         ON CONFLICT (file_id) DO UPDATE SET run_timestamp = excluded.run_timestamp,
           state = CASE WHEN previews.run_timestamp = excluded.run_timestamp THEN previews.state ELSE 'none' END`,
      )
      .run(fileId, new Date().toISOString(), runTimestamp);
  }

  delete(runId: string): { deleted: boolean } {
    this.#summary(runId);
    if (!this.#journal.deleteRun(runId)) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        'This import is being sent right now, so it cannot be deleted. Cancel it first, or wait until it ends.',
      );
    }
    return { deleted: true };
  }

  retention(): { days: number | null } {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(RETENTION_KEY) as
      { value: string } | undefined;
    const days = row ? (JSON.parse(row.value) as unknown) : null;
    return { days: typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : null };
  }

  setRetention(days: number | null): { days: number | null; deleted: number } {
    this.#db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(RETENTION_KEY, JSON.stringify(days));
    return { days, deleted: this.applyRetention() };
  }

  /** Forgets finished and cancelled imports older than the retention setting; done at start and when it changes. */
  applyRetention(now = Date.now()): number {
    const { days } = this.retention();
    if (days === null) return 0;
    return this.#journal.deleteEndedBefore(new Date(now - days * 86_400_000).toISOString());
  }

  #reader(runId: string): RunRows {
    try {
      return new RunRows(this.#db, runId);
    } catch (error) {
      if (error instanceof RunNotFoundError) throw new ServiceError('NOT_FOUND', error.message);
      throw error;
    }
  }

  #summary(runId: string): RunSummary {
    const found = this.#runs.get(runId);
    if (!found) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    return found;
  }
}

function toRunRow(m: DescribedMessage): RunRow {
  return {
    rowNumber: m.rowNumber,
    type: m.type,
    outcome: m.outcome,
    status: m.status,
    reason: m.reason,
    explanation: m.explanation.text,
    nextStep: m.explanation.next,
    cells: m.cells,
    batchId: m.batchId,
    messageId: m.messageId,
  };
}

function matches(json: string, row: number, reason: string | null, type: string, needle: string): boolean {
  if (String(row) === needle) return true;
  return json.toLowerCase().includes(needle) || (reason ?? '').toLowerCase().includes(needle) || type.includes(needle);
}

/** Vitally's answer to a batch, as the journal recorded it. */
function responseText(row: { state: string; status: number | null; reason: string | null; sends: number }): string {
  const times = row.sends === 1 ? 'once' : `${row.sends} times`;
  switch (row.state) {
    case 'accepted':
      return `${row.status ?? 200}: accepted. Sent ${times}.`;
    case 'rejected':
      return `${row.status ?? 400}: refused. ${JSON.stringify({ error: row.reason ?? '' })} Sent ${times}.`;
    case 'unknown':
    case 'sending':
      return `No answer (a timeout or a dropped connection): Vitally may have it. Sent ${times}.`;
    case 'delivered':
      return 'Not sent: an earlier send of this file had delivered all of it.';
    default:
      return row.sends > 0 ? `Not answered yet. Sent ${times}.` : 'Not sent yet.';
  }
}

/** The columns a mapping reads. */
function usedColumns(mapping: Mapping): string[] {
  const columns = new Set<string>();
  for (const message of mapping.messages) {
    for (const source of Object.values(message.fields)) if (source && 'column' in source) columns.add(source.column);
    for (const trait of message.traits) columns.add(trait.column);
  }
  if (mapping.typeColumn) columns.add(mapping.typeColumn);
  return [...columns];
}

function stem(name: string): string {
  return name.replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|]/g, '_');
}

/** Writes chunks, waiting whenever the stream asks to. */
async function writeChunks(out: Writable, chunks: Iterable<string | Uint8Array>): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
}
