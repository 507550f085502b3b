import { randomUUID } from 'node:crypto';
import type { Batch, Outcome } from '../send/sender.ts';
import type { Database } from './database.ts';

/**
 * The run journal: every run, every batch it sends (its exact messages) and every batch's state —
 * planned → sending → accepted | rejected (with status and reason) | unknown — written before a batch goes out
 * and right after its answer, so a crash, a kill or a power cut at any moment leaves each row's messages in
 * exactly one of those states. After such an end, `recover()` turns `sending` into `unknown`: those batches are
 * sent again with the same messageIds, which Vitally de-duplicates.
 */
export type BatchState = 'planned' | 'sending' | 'accepted' | 'rejected' | 'unknown' | 'split';
export type RunState = 'planned' | 'sending' | 'paused' | 'interrupted' | 'finished' | 'cancelled';

export interface PlannedBatch extends Batch {
  /** The spreadsheet row each message came from. */
  sourceRows: readonly number[];
}

export interface NewRun {
  fileName: string;
  workspaceName: string;
  workspaceId?: string | null;
  baseUrl: string;
  fileId?: string | null;
  fileHash?: string;
  mapping?: unknown;
  options?: unknown;
  rows: number;
}

export interface RunCounts {
  batches: Record<BatchState, number>;
  messages: { accepted: number; rejected: number; pending: number };
}

interface BatchRow {
  id: string;
  messages: string;
  types: string;
  source_rows: string;
}

export class Journal {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records a run and all its batches as planned, in one transaction, before anything is sent. */
  createRun(run: NewRun, batches: Iterable<PlannedBatch>): string {
    const id = randomUUID();
    this.#transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO runs (id, created_at, file_name, workspace_name, state, rows, workspace_id, base_url, file_id,
                             file_hash, mapping, options)
           VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          new Date().toISOString(),
          run.fileName,
          run.workspaceName,
          run.rows,
          run.workspaceId ?? null,
          run.baseUrl,
          run.fileId ?? null,
          run.fileHash ?? '',
          JSON.stringify(run.mapping ?? {}),
          JSON.stringify(run.options ?? {}),
        );
      const insert = this.#db.prepare(
        `INSERT INTO run_batches (run_id, id, seq, messages, types, source_rows, state) VALUES (?, ?, ?, ?, ?, ?, 'planned')`,
      );
      let seq = 0;
      for (const batch of batches) {
        const { messages, types, sourceRows } = batch;
        insert.run(
          id,
          batch.id,
          seq++ * 1000,
          JSON.stringify(messages),
          JSON.stringify(types),
          JSON.stringify(sourceRows),
        );
      }
    });
    return id;
  }

  /**
   * After the app ended in the middle of a send: batches that were on their way have an unknown outcome, and
   * runs that were sending are interrupted. Returns the interrupted runs, for the next launch to offer Resume.
   */
  recover(): string[] {
    this.#transaction(() => {
      this.#db.exec("UPDATE run_batches SET state = 'unknown', unknowns = unknowns + 1 WHERE state = 'sending'");
      this.#db.exec("UPDATE runs SET state = 'interrupted' WHERE state = 'sending'");
    });
    return (
      this.#db.prepare("SELECT id FROM runs WHERE state = 'interrupted' ORDER BY created_at").all() as { id: string }[]
    ).map((row) => row.id);
  }

  /** Batches still to send, in order: planned, and those whose outcome is unknown. */
  pending(runId: string): PlannedBatch[] {
    const rows = this.#db
      .prepare(
        `SELECT id, messages, types, source_rows FROM run_batches
          WHERE run_id = ? AND state IN ('planned', 'unknown', 'sending') ORDER BY seq`,
      )
      .all(runId) as unknown as BatchRow[];
    return rows.map((row) => ({
      id: row.id,
      messages: JSON.parse(row.messages) as string[],
      types: JSON.parse(row.types) as string[],
      sourceRows: JSON.parse(row.source_rows) as number[],
    }));
  }

  setRunState(runId: string, state: RunState): void {
    this.#db.prepare('UPDATE runs SET state = ? WHERE id = ?').run(state, runId);
  }

  runState(runId: string): RunState {
    const row = this.#db.prepare('SELECT state FROM runs WHERE id = ?').get(runId) as { state: RunState } | undefined;
    if (!row) throw new Error(`No run ${runId}`);
    return row.state;
  }

  markSending(runId: string, batchId: string): void {
    this.#db
      .prepare("UPDATE run_batches SET state = 'sending', sends = sends + 1 WHERE run_id = ? AND id = ?")
      .run(runId, batchId);
  }

  markOutcome(runId: string, batchId: string, outcome: Outcome): void {
    this.#transaction(() => {
      this.#db
        .prepare('UPDATE run_batches SET state = ?, status = ?, reason = ? WHERE run_id = ? AND id = ?')
        .run(outcome.kind, outcome.status, outcome.kind === 'rejected' ? outcome.reason : null, runId, batchId);
      this.#updateTotals(runId);
    });
  }

  /** A refused batch is replaced by its two halves, which are sent in its place. */
  split(runId: string, batch: Batch, parts: readonly [Batch, Batch]): void {
    this.#transaction(() => {
      const parent = this.#db
        .prepare('SELECT seq, source_rows FROM run_batches WHERE run_id = ? AND id = ?')
        .get(runId, batch.id) as { seq: number; source_rows: string } | undefined;
      if (!parent) return;
      const rows = JSON.parse(parent.source_rows) as number[];
      this.#db.prepare("UPDATE run_batches SET state = 'split' WHERE run_id = ? AND id = ?").run(runId, batch.id);
      const insert = this.#db.prepare(
        `INSERT OR REPLACE INTO run_batches (run_id, id, seq, messages, types, source_rows, state) VALUES (?, ?, ?, ?, ?, ?, 'planned')`,
      );
      let offset = 0;
      parts.forEach((part, index) => {
        insert.run(
          runId,
          part.id,
          parent.seq + (index + 1) / 4,
          JSON.stringify(part.messages),
          JSON.stringify(part.types),
          JSON.stringify(rows.slice(offset, offset + part.messages.length)),
        );
        offset += part.messages.length;
      });
    });
  }

  counts(runId: string): RunCounts {
    const batches: Record<BatchState, number> = {
      planned: 0,
      sending: 0,
      accepted: 0,
      rejected: 0,
      unknown: 0,
      split: 0,
    };
    const messages = { accepted: 0, rejected: 0, pending: 0 };
    const rows = this.#db
      .prepare(
        'SELECT state, COUNT(*) AS n, SUM(json_array_length(messages)) AS m FROM run_batches WHERE run_id = ? GROUP BY state',
      )
      .all(runId) as { state: BatchState; n: number; m: number }[];
    for (const { state, n, m } of rows) {
      batches[state] = n;
      if (state === 'accepted' || state === 'rejected') messages[state] += m;
      else if (state !== 'split') messages.pending += m;
    }
    return { batches, messages };
  }

  /** How many times each batch went out and how many crashes left it unknown. */
  history(runId: string): { id: string; sends: number; unknowns: number; firstMessage: string }[] {
    return (
      this.#db
        .prepare('SELECT id, sends, unknowns, messages FROM run_batches WHERE run_id = ? ORDER BY seq')
        .all(runId) as {
        id: string;
        sends: number;
        unknowns: number;
        messages: string;
      }[]
    ).map((row) => ({
      id: row.id,
      sends: row.sends,
      unknowns: row.unknowns,
      firstMessage: (JSON.parse(row.messages) as string[])[0] ?? '',
    }));
  }

  #updateTotals(runId: string): void {
    const { messages } = this.counts(runId);
    this.#db
      .prepare('UPDATE runs SET accepted = ?, rejected = ? WHERE id = ?')
      .run(messages.accepted, messages.rejected, runId);
  }

  #transaction(work: () => void): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
