import { randomUUID } from 'node:crypto';
import type { Batch, Outcome } from '../batch/batcher.ts';
import type { Database } from './database.ts';
import { liveOwners, ownerAlive, RunBusyError, type OwnerCheck } from './owners.ts';
import { RunBatches } from './run-batches.ts';
import { recountRun, runCounts } from './run-counts.ts';
import type { NewRun, PlannedBatch, RunCounts, RunState } from './types.ts';

/**
 * The run journal: every run, every batch it sends (its exact messages) and every batch's state —
 * planned → sending → accepted | rejected (with status and reason) | unknown — written before a batch goes out
 * and right after its answer, so a crash, a kill or a power cut at any moment leaves each row's messages in
 * exactly one of those states. After such an end, `recover()` turns `sending` into `unknown`: those batches are
 * sent again with the same messageIds, which Vitally de-duplicates. This is what writes runs and their batches;
 * what the screens read of them is the read models' (`runs.ts`, `run-batches.ts`, `outcomes.ts`).
 */
export type { BatchState, NewRun, PlannedBatch, RunCounts, RunKind, RunState } from './types.ts';
export { liveOwners, OWNER_STALE_MS, ownerAlive, processAlive, RunBusyError, type OwnerCheck } from './owners.ts';

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

  /**
   * Records a run and all its batches as planned, in one transaction, before anything is sent. With an owner, the
   * run is created already claimed by it, and only if no other live sender is sending the same file (two windows
   * pressing Send at once would otherwise send the same rows twice).
   */
  createRun(run: NewRun, batches: Iterable<PlannedBatch>, owner?: { id: string; check: OwnerCheck }): string {
    const id = randomUUID();
    this.#transaction(() => {
      if (owner && run.fileId && this.#anyLive('file_id', run.fileId, owner.check)) {
        throw new RunBusyError(
          'This file is already being sent, from another window or tab of the app. Follow that send, or wait ' +
            'until it ends; nothing has been sent twice.',
        );
      }
      // Two re-runs of one import at once (one from its own file, one from a corrected file, say) would send the
      // same failed rows twice: the second waits for the first, which then counts as delivered what it delivered.
      if (owner && run.parentRunId && this.#anyLive('parent_run_id', run.parentRunId, owner.check)) {
        throw new RunBusyError(
          'The failed rows of this import are already being re-run, from another window or tab of the app. ' +
            'Follow that re-run, or wait until it ends; nothing has been sent twice.',
        );
      }
      this.#db
        .prepare(
          `INSERT INTO runs (id, created_at, file_name, workspace_name, state, rows, workspace_id, base_url, file_id,
                             file_hash, mapping, options, kind, parent_run_id)
           VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          run.kind ?? 'send',
          run.parentRunId ?? null,
        );
      if (owner) {
        this.#db.prepare('UPDATE runs SET owner = ?, owner_seen = ? WHERE id = ?').run(owner.id, owner.check.now, id);
      }
      const insert = this.#db.prepare(
        `INSERT INTO run_batches (run_id, id, seq, messages, types, source_rows, state) VALUES (?, ?, ?, ?, ?, ?, 'planned')`,
      );
      let seq = 0;
      for (const batch of batches) {
        const { messages, types, sourceRows } = batch;
        insert.run(
          id,
          batch.id,
          (batch.seq ?? seq++) * 1000,
          JSON.stringify(messages),
          JSON.stringify(types),
          JSON.stringify(sourceRows),
        );
      }
    });
    return id;
  }

  /**
   * After an app ended in the middle of a send: the batches its senders had on their way have an unknown
   * outcome, and the runs they were sending are interrupted. Only runs whose sender is gone are touched: a run
   * another live app instance is sending is left alone. Returns the interrupted runs, for Resume.
   */
  recover(check: OwnerCheck = liveOwners()): string[] {
    this.#transaction(() => {
      const candidates = this.#db
        .prepare(
          `SELECT id, owner, owner_seen FROM runs
            WHERE owner IS NOT NULL OR state = 'sending'
               OR id IN (SELECT DISTINCT run_id FROM run_batches WHERE state = 'sending')`,
        )
        .all() as { id: string; owner: string | null; owner_seen: number }[];
      const markUnknown = this.#db.prepare(
        "UPDATE run_batches SET state = 'unknown', unknowns = unknowns + 1 WHERE run_id = ? AND state = 'sending'",
      );
      const interrupt = this.#db.prepare(
        "UPDATE runs SET state = CASE WHEN state = 'sending' THEN 'interrupted' ELSE state END, owner = NULL WHERE id = ?",
      );
      for (const run of candidates) {
        if (ownerAlive(run.owner, run.owner_seen, check)) continue;
        markUnknown.run(run.id);
        interrupt.run(run.id);
      }
    });
    return (
      this.#db.prepare("SELECT id FROM runs WHERE state = 'interrupted' ORDER BY created_at").all() as { id: string }[]
    ).map((row) => row.id);
  }

  /**
   * Makes `owner` the run's one sender, if no other live sender has it. A run whose sender is gone is taken over:
   * what that sender had on its way becomes unknown (sent again with the same messageIds).
   */
  claim(runId: string, owner: string, check: OwnerCheck = liveOwners()): boolean {
    let claimed = false;
    this.#transaction(() => {
      const row = this.#db.prepare('SELECT owner, owner_seen, file_id FROM runs WHERE id = ?').get(runId) as
        { owner: string | null; owner_seen: number; file_id: string | null } | undefined;
      if (!row) return;
      if (row.owner !== owner && ownerAlive(row.owner, row.owner_seen, check)) return;
      // Nor while another run of the same file is being sent: the two could send the same rows.
      if (row.file_id !== null && this.#anyLive('file_id', row.file_id, check, runId)) return;
      this.#db
        .prepare(
          "UPDATE run_batches SET state = 'unknown', unknowns = unknowns + 1 WHERE run_id = ? AND state = 'sending'",
        )
        .run(runId);
      this.#db.prepare('UPDATE runs SET owner = ?, owner_seen = ? WHERE id = ?').run(owner, check.now, runId);
      claimed = true;
    });
    return claimed;
  }

  /**
   * Before a run is resumed: the messages another run of the same file has since delivered to the same address
   * (a later full send, say) are taken out of its pending batches, so that resuming an old run never sends them
   * again. A batch left with none is `delivered`. Returns how many messages were taken out.
   */
  dropDelivered(runId: string): number {
    const run = this.#db.prepare('SELECT file_id, base_url FROM runs WHERE id = ?').get(runId) as
      { file_id: string | null; base_url: string } | undefined;
    if (!run?.file_id) return 0;
    const delivered = new RunBatches(this.#db).acceptedMessageIds(run.file_id, run.base_url, runId);
    if (delivered.size === 0) return 0;
    let dropped = 0;
    this.#transaction(() => {
      const batches = this.#db
        .prepare(
          `SELECT id, messages, types, source_rows FROM run_batches
            WHERE run_id = ? AND state IN ('planned', 'unknown', 'sending')`,
        )
        .all(runId) as unknown as BatchRow[];
      const update = this.#db.prepare(
        'UPDATE run_batches SET messages = ?, types = ?, source_rows = ?, state = ? WHERE run_id = ? AND id = ?',
      );
      const byType: Record<string, number> = {};
      for (const batch of batches) {
        const messages = JSON.parse(batch.messages) as string[];
        const types = JSON.parse(batch.types) as string[];
        const rows = JSON.parse(batch.source_rows) as number[];
        const keep = messages.map((m) => !delivered.has((JSON.parse(m) as { messageId?: string }).messageId ?? ''));
        const kept = keep.filter(Boolean).length;
        if (kept === messages.length) continue;
        dropped += messages.length - kept;
        keep.forEach((kept, i) => {
          const type = types[i] ?? '';
          if (!kept) byType[type] = (byType[type] ?? 0) + 1;
        });
        // An emptied batch keeps its messages for History, and is marked as delivered elsewhere.
        if (kept === 0) {
          update.run(batch.messages, batch.types, batch.source_rows, 'delivered', runId, batch.id);
          continue;
        }
        const pick = <T>(list: T[]) => JSON.stringify(list.filter((_, i) => keep[i]));
        update.run(pick(messages), pick(types), pick(rows), 'planned', runId, batch.id);
      }
      this.#db.prepare('UPDATE runs SET already_accepted = already_accepted + ? WHERE id = ?').run(dropped, runId);
      this.#addLeftOut(runId, byType);
    });
    return dropped;
  }

  /** The owner is still sending; false when another sender has taken the run over (this one must stop). */
  heartbeat(runId: string, owner: string, now = Date.now()): boolean {
    const result = this.#db.prepare('UPDATE runs SET owner_seen = ? WHERE id = ? AND owner = ?').run(now, runId, owner);
    return Number(result.changes) === 1;
  }

  /** The sender has stopped: the run is free to be resumed by anyone. */
  release(runId: string, owner: string): void {
    this.#db.prepare('UPDATE runs SET owner = NULL WHERE id = ? AND owner = ?').run(runId, owner);
  }

  /** The batches still to send, a page at a time (`RunBatches.pendingPages`): what the sender takes. */
  pendingPages(runId: string, pageSize = 100): Generator<PlannedBatch> {
    return new RunBatches(this.#db).pendingPages(runId, pageSize);
  }

  /** Messages an earlier run of the same file delivered, left out of this one (`byType`: how many of each type). */
  setAlreadyAccepted(runId: string, messages: number, byType: Record<string, number> = {}): void {
    this.#db
      .prepare('UPDATE runs SET already_accepted = ?, left_out = ? WHERE id = ?')
      .run(messages, JSON.stringify(byType), runId);
  }

  #addLeftOut(runId: string, byType: Record<string, number>): void {
    const row = this.#db.prepare('SELECT left_out FROM runs WHERE id = ?').get(runId) as
      { left_out: string } | undefined;
    const total = JSON.parse(row?.left_out ?? '{}') as Record<string, number>;
    for (const [type, n] of Object.entries(byType)) total[type] = (total[type] ?? 0) + n;
    this.#db.prepare('UPDATE runs SET left_out = ? WHERE id = ?').run(JSON.stringify(total), runId);
  }

  /**
   * Forgets a run: its batches, their exact JSON and outcomes. A run a live sender has is kept (false). Later sends
   * of the same file no longer know what this run delivered; Vitally still de-duplicates what it has seen.
   */
  deleteRun(runId: string, check: OwnerCheck = liveOwners()): boolean {
    let deleted = false;
    this.#transaction(() => {
      const row = this.#db.prepare('SELECT owner, owner_seen FROM runs WHERE id = ?').get(runId) as
        { owner: string | null; owner_seen: number } | undefined;
      if (!row || ownerAlive(row.owner, row.owner_seen, check)) return;
      this.#db.prepare('DELETE FROM run_batches WHERE run_id = ?').run(runId);
      this.#db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      deleted = true;
    });
    return deleted;
  }

  /**
   * The retention setting: forgets runs that ended (finished or cancelled) before `cutoff` (ISO 8601). Runs that
   * can still be resumed, and runs being sent, are kept. Returns how many were forgotten.
   */
  deleteEndedBefore(cutoff: string, check: OwnerCheck = liveOwners()): number {
    const old = this.#db
      .prepare(`SELECT id FROM runs WHERE state IN ('finished', 'cancelled') AND coalesce(ended_at, created_at) < ?`)
      .all(cutoff) as { id: string }[];
    let deleted = 0;
    for (const { id } of old) if (this.deleteRun(id, check)) deleted++;
    return deleted;
  }

  setRunRows(runId: string, rows: number): void {
    this.#db.prepare('UPDATE runs SET rows = ? WHERE id = ?').run(rows, runId);
  }

  setRunState(runId: string, state: RunState): void {
    const ended = state === 'finished' || state === 'cancelled';
    this.#db
      .prepare(
        `UPDATE runs SET state = ?,
                ended_at = CASE WHEN ? THEN coalesce(CASE WHEN state = ? THEN ended_at END, ?) ELSE NULL END
          WHERE id = ?`,
      )
      .run(state, ended ? 1 : 0, state, new Date().toISOString(), runId);
  }

  markSending(runId: string, batchId: string): void {
    this.#db
      .prepare(
        "UPDATE run_batches SET state = 'sending', sends = sends + 1, sent_at = coalesce(sent_at, ?) WHERE run_id = ? AND id = ?",
      )
      .run(new Date().toISOString(), runId, batchId);
  }

  /**
   * A batch that went out came back without an outcome: `unknown` when Vitally may have it (a timeout, a dropped
   * connection), `planned` when it certainly does not (a 429, a 5xx, a refused token). Either way it is sent again.
   */
  markUnsettled(runId: string, batchId: string, state: 'unknown' | 'planned'): void {
    this.#db
      .prepare(
        `UPDATE run_batches SET state = ?, unknowns = unknowns + (CASE WHEN ? = 'unknown' THEN 1 ELSE 0 END)
          WHERE run_id = ? AND id = ? AND state = 'sending'`,
      )
      .run(state, state, runId, batchId);
  }

  markOutcome(runId: string, batchId: string, outcome: Outcome): void {
    this.#transaction(() => {
      this.#db
        .prepare(
          'UPDATE run_batches SET state = ?, status = ?, reason = ?, answered_at = ? WHERE run_id = ? AND id = ?',
        )
        .run(
          outcome.kind,
          outcome.status,
          outcome.kind === 'rejected' ? outcome.reason : null,
          new Date().toISOString(),
          runId,
          batchId,
        );
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
      // A part recorded before is replaced: deleted, then inserted (a REPLACE would not pass through the counts).
      const remove = this.#db.prepare('DELETE FROM run_batches WHERE run_id = ? AND id = ?');
      const insert = this.#db.prepare(
        `INSERT INTO run_batches (run_id, id, seq, messages, types, source_rows, state) VALUES (?, ?, ?, ?, ?, ?, 'planned')`,
      );
      let offset = 0;
      parts.forEach((part, index) => {
        remove.run(runId, part.id);
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

  /** The run's counts, as the database keeps them with each change of a batch (`run-counts.ts`). */
  counts(runId: string): RunCounts {
    return runCounts(this.#db, runId);
  }

  /** The same counts found the slow way, from every batch's JSON: what the kept counts must always equal. */
  recount(runId: string): RunCounts {
    return recountRun(this.#db, runId);
  }

  /** Whether a live sender has a run (other than `exceptRun`) whose `column` is `value`. */
  #anyLive(column: 'file_id' | 'parent_run_id', value: string, check: OwnerCheck, exceptRun = ''): boolean {
    const others = this.#db
      .prepare(`SELECT owner, owner_seen FROM runs WHERE ${column} = ? AND id <> ? AND owner IS NOT NULL`)
      .all(value, exceptRun) as { owner: string; owner_seen: number }[];
    return others.some((other) => ownerAlive(other.owner, other.owner_seen, check));
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
