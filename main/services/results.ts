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
import { csvChunks } from '../../app/export/csv.ts';
import {
  failedRowsTable,
  FileGoneError,
  REPORT_HEADER,
  reportJson,
  reportLines,
  RunNotFoundError,
  RunRows,
  type DescribedMessage,
} from '../../app/export/run-export.ts';
import { xlsxLimitProblem, xlsxWorkbook } from '../../app/export/xlsx.ts';
import type { Database } from '../../app/journal/database.ts';
import { Journal } from '../../app/journal/journal.ts';
import { RunBatches, type BatchRecord } from '../../app/journal/run-batches.ts';
import { RunRecords } from '../../app/journal/runs.ts';
import {
  countsByType,
  runMessages,
  type MessageOutcome,
  type RunMessage,
  type TypeCounts,
} from '../../app/journal/outcomes.ts';
import { rereadProblem } from '../../app/read/fingerprint.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';
import { adoptRerunFile } from './rerun-file.ts';
import type { RunsService } from './runs.ts';
import { SettingsStore } from './store/settings.ts';

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
  readonly #records: RunRecords;
  readonly #batches: RunBatches;
  readonly #settings: SettingsStore;
  readonly #files: FilesService;
  readonly #runs: RunsService;

  constructor(options: { db: Database; files: FilesService; runs: RunsService }) {
    this.#db = options.db;
    this.#journal = new Journal(options.db);
    this.#records = new RunRecords(options.db);
    this.#batches = new RunBatches(options.db);
    this.#settings = new SettingsStore(options.db);
    this.#files = options.files;
    this.#runs = options.runs;
  }

  details(runId: string): RunDetails {
    const summary = this.#summary(runId);
    const run = this.#records.record(runId);
    const setup = this.#records.setup(runId);
    if (!run || !setup) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    const byType = countsByType(this.#db, runId);
    const totals: TypeCounts = { accepted: 0, rejected: 0, unknown: 0, notSent: 0, leftOut: 0 };
    for (const counts of Object.values(byType)) {
      for (const key of Object.keys(totals) as (keyof TypeCounts)[]) totals[key] += counts[key];
    }
    const parent = summary.parentRunId ? this.#records.record(summary.parentRunId) : null;
    const fileAvailable =
      summary.fileId !== null &&
      this.#db.prepare("SELECT 1 FROM files WHERE id = ? AND state = 'ready'").get(summary.fileId) !== undefined;
    return RunDetails.parse({
      ...summary,
      baseUrl: run.baseUrl,
      byType,
      totals,
      batches: this.#batches.count(runId),
      durationMs: run.endedAt ? Math.max(0, Date.parse(run.endedAt) - Date.parse(run.createdAt)) : null,
      rowLimit: setup.options.rowLimit,
      includeUnknown: setup.options.includeUnknown,
      parent: parent ? { id: parent.id, createdAt: parent.createdAt, fileName: parent.fileName } : null,
      reruns: this.#runs.reruns(runId),
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
    return {
      batches: this.#batches.page(runId, offset, limit).map((batch) => RunBatch.parse(batch)),
      total: this.#batches.count(runId),
    };
  }

  /** A batch exactly as it was sent (its messages in an array, as the request body), and Vitally's answer. */
  batch(runId: string, batchId: string): { body: string; response: string; rows: number[] } {
    const batch = this.#batches.get(runId, batchId);
    if (!batch) throw new ServiceError('NOT_FOUND', 'That batch is no longer in the app.');
    return { body: `[${batch.messages.join(',')}]`, response: responseText(batch), rows: batch.sourceRows };
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

  /** A corrected file loaded to re-run an import's failed rows (`adoptRerunFile` in `rerun-file.ts`). */
  adoptRerunFile(runId: string, fileId: string): { mapped: boolean; restoredCells: number; message: string } {
    return adoptRerunFile({ db: this.#db, files: this.#files }, runId, fileId);
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
    const days = this.#settings.get(RETENTION_KEY);
    return { days: typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : null };
  }

  setRetention(days: number | null): { days: number | null; deleted: number } {
    this.#settings.set({ [RETENTION_KEY]: days });
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
function responseText(row: Pick<BatchRecord, 'state' | 'status' | 'reason' | 'sends'>): string {
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

function stem(name: string): string {
  return name.replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|]/g, '_');
}

/** Writes chunks, waiting whenever the stream asks to. */
async function writeChunks(out: Writable, chunks: Iterable<string | Uint8Array>): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
}
