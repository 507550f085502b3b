/**
 * An import's rows as the user knows them: each message's outcome with the row's cells behind it and the reason in
 * plain words; the failed rows as a table to export (the file's own columns in their order, then `Row` and
 * `Error`); and the run report (what was sent when, with what outcome).
 */
import type { Database } from '../journal/database.ts';
import { runMessages, type MessageOutcome, type RunMessage } from '../journal/outcomes.ts';
import { RunRecords } from '../journal/runs.ts';
import { Mapping } from '../map/mapping.ts';
import { findRow } from '../read/row-store.ts';
import type { StoredRow } from '../read/types.ts';
import { explain, sourceColumns, type Explanation, type SourceColumn } from './explain.ts';

/** The columns an export of failed rows adds after the file's own, and what they are called if the file has them. */
export const ROW_COLUMN = 'Row';
export const ERROR_COLUMN = 'Error';
export const ROW_COLUMN_ALT = 'Vitally row';
export const ERROR_COLUMN_ALT = 'Vitally error';

export interface RowCell {
  column: string;
  value: string;
  culprit: boolean;
}

export interface DescribedMessage extends RunMessage {
  explanation: Explanation;
  cells: RowCell[];
}

/** Reads an import's messages with the rows of its file, as they were when it was sent. */
export class RunRows {
  readonly runId: string;
  readonly fileId: string | null;
  /** The file's columns, in order; null when the file is no longer in the app. */
  readonly columns: string[] | null;
  readonly #db: Database;
  readonly #mapping: Mapping | null;
  readonly #edits = new Map<number, Map<number, string>>();
  readonly #blocks = new Map<number, StoredRow[]>();
  readonly #sources = new Map<string, SourceColumn[]>();

  constructor(db: Database, runId: string) {
    this.#db = db;
    this.runId = runId;
    const run = new RunRecords(db).setup(runId);
    if (!run) throw new RunNotFoundError();
    this.fileId = run.fileId;
    const mapping = Mapping.safeParse(run.mapping);
    this.#mapping = mapping.success ? mapping.data : null;
    // The cells edited in Preview when the import was made: its rows are shown as they were sent.
    for (const edit of run.options.edits) {
      let row = this.#edits.get(edit.rowNumber);
      if (!row) this.#edits.set(edit.rowNumber, (row = new Map<number, string>()));
      row.set(edit.column, edit.value);
    }
    const file = run.fileId
      ? (db.prepare('SELECT result FROM files WHERE id = ?').get(run.fileId) as { result: string | null } | undefined)
      : undefined;
    const result = safeJson(file?.result ?? 'null') as { columns?: { name: string }[] } | null;
    this.columns = result?.columns ? result.columns.map((c) => c.name) : null;
  }

  /** The row's cells as they were sent (its edits applied), or null when the file no longer has it. */
  cells(rowNumber: number): string[] | null {
    if (!this.fileId || !this.columns) return null;
    const found = findRow(this.#db, this.fileId, rowNumber, this.#blocks);
    if (!found) return null;
    const cells = found.row.slice(1) as string[];
    for (const [column, value] of this.#edits.get(rowNumber) ?? []) cells[column] = value;
    return cells;
  }

  /** A message with the cells it is made from and its outcome in plain words. */
  describe(message: RunMessage): DescribedMessage {
    const sources = this.#sourcesOf(message.type);
    const row = this.cells(message.rowNumber);
    const index = new Map((this.columns ?? []).map((name, i) => [name, i]));
    const cells = sources.map((source) => ({ ...source, value: row?.[index.get(source.column) ?? -1] ?? '' }));
    const explanation = explain({
      outcome: message.outcome,
      status: message.status,
      reason: message.reason,
      type: message.type,
      bytes: Buffer.byteLength(message.json),
      cells,
    });
    return {
      ...message,
      explanation,
      cells: cells.map((c) => ({ column: c.column, value: c.value, culprit: c.column === explanation.culprit })),
    };
  }

  /** The messages under a filter, described. */
  *messages(outcomes?: readonly MessageOutcome[]): Generator<DescribedMessage> {
    for (const message of runMessages(this.#db, this.runId, outcomes)) yield this.describe(message);
  }

  #sourcesOf(type: string): SourceColumn[] {
    let sources = this.#sources.get(type);
    if (!sources) this.#sources.set(type, (sources = this.#mapping ? sourceColumns(this.#mapping, type) : []));
    return sources;
  }
}

export class RunNotFoundError extends Error {
  constructor() {
    super('That import is no longer in the app.');
  }
}

export class FileGoneError extends Error {
  constructor() {
    super(
      'The file of this import is no longer in the app, so its rows cannot be exported with their columns. ' +
        'Export the run report instead: it has every message with its outcome.',
    );
  }
}

/** The outcomes a failed-rows export and a re-run take: refused, and unknown when asked for. */
export function failedOutcomes(includeUnknown: boolean): MessageOutcome[] {
  return includeUnknown ? ['rejected', 'unknown'] : ['rejected'];
}

/**
 * The failed rows as a table: the file's own columns in their order, as the row was sent, then `Row` (its row in
 * the file) and `Error` (each failed message's reason and next step). One line per row, in row order.
 */
export function failedRowsTable(rows: RunRows, includeUnknown: boolean): { header: string[]; lines: string[][] } {
  if (!rows.columns) throw new FileGoneError();
  const rowColumn = rows.columns.includes(ROW_COLUMN) ? ROW_COLUMN_ALT : ROW_COLUMN;
  const errorColumn = rows.columns.includes(ERROR_COLUMN) ? ERROR_COLUMN_ALT : ERROR_COLUMN;
  const errors = new Map<number, string[]>();
  for (const message of rows.messages(failedOutcomes(includeUnknown))) {
    let list = errors.get(message.rowNumber);
    if (!list) errors.set(message.rowNumber, (list = []));
    const { text, next } = message.explanation;
    list.push(next ? `${text} ${next}` : text);
  }
  const width = rows.columns.length;
  const lines = [...errors.keys()]
    .sort((a, b) => a - b)
    .map((rowNumber) => {
      const cells = rows.cells(rowNumber) ?? [];
      const padded = Array.from({ length: width }, (_, i) => cells[i] ?? '');
      return [...padded, String(rowNumber), [...new Set(errors.get(rowNumber))].join(' | ')];
    });
  return { header: [...rows.columns, rowColumn, errorColumn], lines };
}

export const REPORT_HEADER = [
  'Row',
  'Type',
  'Outcome',
  'HTTP status',
  'Vitally’s reason',
  'In plain words',
  'Batch',
  'Sent at',
  'Answered at',
  'Times sent',
  'Message ID',
];

/** One line of the run report per message: what was sent when, with what outcome. */
export function* reportLines(rows: RunRows): Generator<string[]> {
  for (const m of rows.messages()) {
    yield [
      String(m.rowNumber),
      m.type,
      m.outcome,
      m.status === null ? '' : String(m.status),
      m.reason ?? '',
      m.explanation.text,
      m.batchId,
      m.sentAt ?? '',
      m.answeredAt ?? '',
      String(m.sends),
      m.messageId,
    ];
  }
}

/** The run report as JSON, in chunks: the import, then each message (its exact JSON included). */
export function* reportJson(summary: unknown, rows: RunRows): Generator<string> {
  yield `{"import":${JSON.stringify(summary)},"messages":[`;
  let first = true;
  for (const m of rows.messages()) {
    const entry = {
      row: m.rowNumber,
      type: m.type,
      outcome: m.outcome,
      status: m.status,
      reason: m.reason,
      explanation: m.explanation.text,
      batch: m.batchId,
      sentAt: m.sentAt,
      answeredAt: m.answeredAt,
      timesSent: m.sends,
      messageId: m.messageId,
      message: JSON.parse(m.json) as unknown,
    };
    yield (first ? '\n' : ',\n') + JSON.stringify(entry);
    first = false;
  }
  yield '\n]}\n';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
