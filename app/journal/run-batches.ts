/**
 * The batches read model: what the screens and the services read of a run's batches (`run_batches`), typed. The
 * list of a run's batches with the rows they carry, one batch exactly as it was sent with its answer, the batches
 * Vitally refused, how often each went out, and the messageIds earlier runs of a file delivered. The journal
 * (`journal.ts`) writes batches; what became of each message is `outcomes.ts`'s.
 */
import type { Database } from './database.ts';
import type { BatchState, PlannedBatch } from './types.ts';

/** One batch of a run as History's list shows it (a batch split after a refusal is shown as its parts). */
export interface BatchListing {
  id: string;
  state: BatchState;
  status: number | null;
  reason: string | null;
  /** How many messages it carries. */
  messages: number;
  /** The first and last spreadsheet rows of its messages; null when it has none. */
  firstRow: number | null;
  lastRow: number | null;
  sends: number;
  sentAt: string | null;
  answeredAt: string | null;
}

/** One batch exactly as it was (or will be) sent, and what became of it. */
export interface BatchRecord {
  /** Its messages' JSON, in order. */
  messages: string[];
  /** The spreadsheet row of each message. */
  sourceRows: number[];
  state: BatchState;
  status: number | null;
  reason: string | null;
  sends: number;
}

/** A batch Vitally refused (after splitting, one message), by the row and type of its first message. */
export interface RefusedBatch {
  rowNumber: number;
  type: string;
  status: number | null;
  reason: string | null;
}

/** How many times a batch went out and how many crashes left it unknown. */
export interface BatchHistory {
  id: string;
  sends: number;
  unknowns: number;
  firstMessage: string;
}

/** Reads the `run_batches` table. */
export class RunBatches {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Batches still to send, in order: planned, and those whose outcome is unknown. */
  pending(runId: string): PlannedBatch[] {
    const rows = this.#db
      .prepare(
        `SELECT id, messages, types, source_rows FROM run_batches
          WHERE run_id = ? AND state IN ('planned', 'unknown', 'sending') ORDER BY seq`,
      )
      .all(runId) as unknown as PendingRow[];
    return rows.map(plannedOf);
  }

  /**
   * The same batches as `pending`, read a page at a time as they are taken (by their place in the run), so that a
   * run of a million messages is never all in memory. A batch taken is the sender's: it comes back to it, not here.
   */
  *pendingPages(runId: string, pageSize = 100): Generator<PlannedBatch> {
    const page = this.#db.prepare(
      `SELECT id, seq, messages, types, source_rows FROM run_batches
        WHERE run_id = ? AND state IN ('planned', 'unknown', 'sending') AND seq > ? ORDER BY seq LIMIT ?`,
    );
    let after = -1;
    for (;;) {
      const rows = page.all(runId, after, pageSize) as unknown as (PendingRow & { seq: number })[];
      for (const row of rows) yield plannedOf(row);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = last.seq;
    }
  }

  /** How many batches the run has, counting a split batch's parts and not the batch itself. */
  count(runId: string): number {
    const row = this.#db
      .prepare("SELECT COUNT(*) AS n FROM run_batches WHERE run_id = ? AND state <> 'split'")
      .get(runId) as { n: number };
    return row.n;
  }

  /** A page of the run's batches, in the order they are sent. */
  page(runId: string, offset: number, limit: number): BatchListing[] {
    const rows = this.#db
      .prepare(
        `SELECT id, state, status, reason, json_array_length(messages) AS messages, source_rows, sends,
                sent_at AS sentAt, answered_at AS answeredAt
           FROM run_batches WHERE run_id = ? AND state <> 'split' ORDER BY seq LIMIT ? OFFSET ?`,
      )
      .all(runId, limit, offset) as (Omit<BatchListing, 'firstRow' | 'lastRow'> & { source_rows: string })[];
    return rows.map(({ source_rows, ...batch }) => {
      const sourceRows = JSON.parse(source_rows) as number[];
      return {
        ...batch,
        firstRow: sourceRows.length > 0 ? Math.min(...sourceRows) : null,
        lastRow: sourceRows.length > 0 ? Math.max(...sourceRows) : null,
      };
    });
  }

  /** One batch of the run; null when there is no such batch. */
  get(runId: string, batchId: string): BatchRecord | null {
    const row = this.#db
      .prepare(
        'SELECT messages, source_rows, state, status, reason, sends FROM run_batches WHERE run_id = ? AND id = ?',
      )
      .get(runId, batchId) as
      (Omit<BatchRecord, 'messages' | 'sourceRows'> & { messages: string; source_rows: string }) | undefined;
    if (!row) return null;
    const { messages, source_rows, ...rest } = row;
    return {
      ...rest,
      messages: JSON.parse(messages) as string[],
      sourceRows: JSON.parse(source_rows) as number[],
    };
  }

  /** The batches Vitally refused, in the order they were sent (at most `limit`). */
  refused(runId: string, limit: number): RefusedBatch[] {
    const rows = this.#db
      .prepare(
        "SELECT source_rows, types, status, reason FROM run_batches WHERE run_id = ? AND state = 'rejected' ORDER BY seq LIMIT ?",
      )
      .all(runId, limit) as { source_rows: string; types: string; status: number | null; reason: string | null }[];
    return rows.map((row) => ({
      rowNumber: (JSON.parse(row.source_rows) as number[])[0] ?? 0,
      type: (JSON.parse(row.types) as string[])[0] ?? '',
      status: row.status,
      reason: row.reason,
    }));
  }

  /** How many times each batch went out and how many crashes left it unknown, in order. */
  history(runId: string): BatchHistory[] {
    const rows = this.#db
      .prepare('SELECT id, sends, unknowns, messages FROM run_batches WHERE run_id = ? ORDER BY seq')
      .all(runId) as { id: string; sends: number; unknowns: number; messages: string }[];
    return rows.map((row) => ({
      id: row.id,
      sends: row.sends,
      unknowns: row.unknowns,
      firstMessage: (JSON.parse(row.messages) as string[])[0] ?? '',
    }));
  }

  /** How many distinct spreadsheet rows the run's batches carry. */
  sourceRowCount(runId: string): number {
    const row = this.#db
      .prepare(
        `SELECT COUNT(DISTINCT value) AS n FROM run_batches, json_each(run_batches.source_rows)
          WHERE run_id = ? AND state <> 'split'`,
      )
      .get(runId) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /**
   * The messageIds Vitally has accepted for this file in runs to the same workspace address (but `exceptRun`): a
   * full send after a trial, or a send after an interrupted one, sends each of them no more.
   */
  acceptedMessageIds(fileId: string, baseUrl: string, exceptRun = ''): Set<string> {
    const ids = new Set<string>();
    const rows = this.#db
      .prepare(
        `SELECT b.messages FROM run_batches b JOIN runs r ON r.id = b.run_id
          WHERE r.file_id = ? AND r.base_url = ? AND b.state = 'accepted' AND r.id <> ?`,
      )
      .iterate(fileId, baseUrl, exceptRun) as Iterable<{ messages: string }>;
    for (const row of rows) {
      for (const message of JSON.parse(row.messages) as string[]) {
        const id = (JSON.parse(message) as { messageId?: unknown }).messageId;
        if (typeof id === 'string') ids.add(id);
      }
    }
    return ids;
  }
}

interface PendingRow {
  id: string;
  messages: string;
  types: string;
  source_rows: string;
}

function plannedOf(row: PendingRow): PlannedBatch {
  return {
    id: row.id,
    messages: JSON.parse(row.messages) as string[],
    types: JSON.parse(row.types) as string[],
    sourceRows: JSON.parse(row.source_rows) as number[],
  };
}
