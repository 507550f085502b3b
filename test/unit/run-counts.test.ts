import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../app/journal/database.ts';
import { Journal, type OwnerCheck, type PlannedBatch } from '../../app/journal/journal.ts';
import { countsByType, recountByType } from '../../app/journal/outcomes.ts';
import { startRun } from '../../app/send/run.ts';
import type { SenderHooks } from '../../app/send/sender.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A run's counts are kept by the database as each batch changes (migration 13), never re-counted from the batches'
 * JSON: after every kind of send — refusals and the splits that find them, unknown outcomes, pauses, cancels,
 * kills and take-overs, messages left out, re-runs — and at every step of one, they equal a full recount.
 */
const TS = '2026-11-23T10:00:00.000Z';
const user = (row: number, valid = true) =>
  JSON.stringify({
    type: 'user',
    userId: `u${row}`,
    ...(valid ? { accountId: 'A1' } : {}),
    traits: { row },
    messageId: `user-${row}`,
    timestamp: TS,
  });
const account = (row: number) =>
  JSON.stringify({
    type: 'account',
    accountId: `a${row}`,
    traits: { row },
    messageId: `account-${row}`,
    timestamp: TS,
  });

/** Batches of `size` rows, each row making a user and an account; the rows in `refused` make an invalid user. */
function batches(rows: number, size: number, refused: ReadonlySet<number> = new Set()): PlannedBatch[] {
  const out: PlannedBatch[] = [];
  for (let first = 2; first < rows + 2; first += size) {
    const messages: string[] = [];
    const types: string[] = [];
    const sourceRows: number[] = [];
    for (let row = first; row < Math.min(first + size, rows + 2); row++) {
      messages.push(user(row, !refused.has(row)), account(row));
      types.push('user', 'account');
      sourceRows.push(row, row);
    }
    out.push({ id: String(out.length), messages, types, sourceRows });
  }
  return out;
}

const alive: OwnerCheck = { now: Date.now(), isAlive: () => true };
const gone: OwnerCheck = { now: Date.now(), isAlive: () => false };

describe('a run’s kept counts', () => {
  let emulator: Emulator;
  let db: Database;
  let journal: Journal;
  let file: string;

  beforeEach(async () => {
    emulator = await startEmulator({ token: 'counts' });
    file = join(tempDir(), 'app.sqlite');
    db = openDatabase(file);
    journal = new Journal(db);
  });
  afterEach(async () => {
    if (db.isOpen) db.close();
    await emulator.close();
  });

  /** The kept counts equal a full recount, by state and by type. */
  const expectExact = (runId: string) => {
    expect(journal.counts(runId)).toEqual(journal.recount(runId));
    expect(countsByType(db, runId)).toEqual(recountByType(db, runId));
  };
  /** Hooks that check the counts at every step of a send. */
  const checking = (runId: string, steps: { n: number }): SenderHooks => {
    const check = () => {
      steps.n++;
      expectExact(runId);
    };
    return { onSending: check, onOutcome: check, onUnsettled: check, onSplit: check };
  };
  const newRun = (planned: PlannedBatch[], extra: { fileId?: string; parentRunId?: string } = {}) =>
    journal.createRun(
      {
        fileName: 'people.csv',
        workspaceName: 'Acme',
        baseUrl: emulator.baseUrl,
        rows: planned.length,
        fileId: extra.fileId ?? 'file-1',
        ...(extra.parentRunId ? { kind: 'rerun' as const, parentRunId: extra.parentRunId } : {}),
      },
      planned,
    );
  const send = (runId: string, hooks: SenderHooks = {}, timeoutMs = 10_000) =>
    startRun(journal, runId, { baseUrl: emulator.baseUrl, token: 'counts', timeoutMs, hooks });

  it('with refusals and the splits that find them: exact at every step, and as Vitally answered', async () => {
    const refused = new Set([5, 17, 18, 44]);
    const runId = newRun(batches(60, 25, refused));
    expectExact(runId);
    const steps = { n: 0 };
    expect(await send(runId, checking(runId, steps)).done).toBe('finished');
    expect(steps.n).toBeGreaterThan(10);
    expectExact(runId);
    expect(journal.counts(runId).messages).toEqual({ accepted: 116, rejected: 4, pending: 0, unknown: 0 });
    expect(journal.counts(runId).batches.split).toBeGreaterThan(0);
    expect(countsByType(db, runId)).toEqual({
      user: { accepted: 56, rejected: 4, unknown: 0, notSent: 0, leftOut: 0 },
      account: { accepted: 60, rejected: 0, unknown: 0, notSent: 0, leftOut: 0 },
    });
    // The run's own totals, shown in History, agree.
    expect(db.prepare('SELECT accepted, rejected FROM runs WHERE id = ?').get(runId)).toEqual({
      accepted: 116,
      rejected: 4,
    });
  });

  it('with requests never answered and connections reset: unknown, sent again, exact throughout', async () => {
    emulator.fault({ kind: 'hang' }, { kind: 'reset' }, { kind: 'status', status: 503 }, { kind: 'hang' });
    const runId = newRun(batches(40, 10));
    const steps = { n: 0 };
    expect(await send(runId, { ...checking(runId, steps) }, 400).done).toBe('finished');
    expectExact(runId);
    expect(journal.counts(runId).messages).toEqual({ accepted: 80, rejected: 0, pending: 0, unknown: 0 });
  });

  it('through a pause, a cancel and a resume of the cancelled run', async () => {
    const runId = newRun(batches(80, 5, new Set([9])));
    const steps = { n: 0 };
    let outcomes = 0;
    let settled: () => void = () => {};
    const paused = new Promise<void>((resolve) => (settled = resolve));
    const first = send(runId, {
      ...checking(runId, steps),
      onOutcome: () => {
        expectExact(runId);
        if (++outcomes === 3) first.sender.pause();
      },
      // Paused once what was on its way is answered; nothing more goes.
      onStatus: (status) => {
        if (status.kind === 'paused' && status.reason === 'user' && status.inFlight === 0) settled();
      },
    });
    await paused;
    expectExact(runId);
    const atPause = journal.counts(runId).messages;
    expect(atPause.accepted + atPause.rejected).toBeGreaterThan(0);
    expect(atPause.pending).toBeGreaterThan(0);
    first.sender.cancel();
    expect(await first.done).toBe('cancelled');
    expectExact(runId);
    expect(journal.counts(runId).messages.pending).toBeGreaterThan(0);
    expect(await send(runId, checking(runId, steps)).done).toBe('finished');
    expectExact(runId);
    expect(journal.counts(runId).messages).toEqual({ accepted: 159, rejected: 1, pending: 0, unknown: 0 });
  });

  it('after kills: what was on its way recovered as unknown, a run taken over, then sent to the end', async () => {
    const runId = newRun(batches(30, 5));
    journal.setRunState(runId, 'sending');
    // A sender killed with two requests out and one answered.
    journal.claim(runId, '1:first', alive);
    journal.markSending(runId, '0');
    journal.markSending(runId, '1');
    journal.markOutcome(runId, '0', { kind: 'accepted', status: 202 });
    expectExact(runId);
    expect(journal.recover(gone)).toEqual([runId]);
    expectExact(runId);
    expect(journal.counts(runId).messages).toMatchObject({ accepted: 10, unknown: 10 });
    // Killed again, then taken over by a new sender: the request on its way becomes unknown too.
    journal.markSending(runId, '2');
    expect(journal.claim(runId, '2:second', { now: Date.now() + 60_000, isAlive: () => false })).toBe(true);
    expectExact(runId);
    expect(journal.counts(runId).batches).toMatchObject({ unknown: 2, sending: 0, accepted: 1 });
    expect(await send(runId).done).toBe('finished');
    expectExact(runId);
    expect(journal.counts(runId).messages).toEqual({ accepted: 60, rejected: 0, pending: 0, unknown: 0 });
  });

  it('with messages another run delivered left out, a re-run of the refused rows, and a run deleted', async () => {
    const refused = new Set([4, 11]);
    const first = newRun(batches(20, 4, refused));
    // An older run of the same file, cancelled before it sent anything.
    const older = newRun(batches(20, 4, refused));
    journal.setRunState(older, 'cancelled');
    expect(await send(first).done).toBe('finished');
    // Resuming the older run leaves out what the first delivered: every batch but the refused messages' goes.
    expect(journal.dropDelivered(older)).toBe(38);
    expectExact(older);
    expect(journal.counts(older).batches.delivered).toBeGreaterThan(0);
    expect(countsByType(db, older).user).toMatchObject({ notSent: 2, leftOut: 18 });

    // A re-run of the first run's refused rows, fixed.
    const rerun = newRun(
      batches(2, 1).map((b, i) => ({ ...b, id: String(i) })),
      { parentRunId: first },
    );
    expect(await send(rerun).done).toBe('finished');
    expectExact(rerun);
    expectExact(first);
    expect(journal.counts(rerun).messages).toEqual({ accepted: 4, rejected: 0, pending: 0, unknown: 0 });

    // A deleted run leaves no counts behind.
    expect(journal.deleteRun(older, gone)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_state_counts WHERE run_id = ?').get(older)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_type_counts WHERE run_id = ?').get(older)).toEqual({ n: 0 });
  });

  it('are counted for the runs of a database written before they were kept', async () => {
    const runId = newRun(batches(30, 5, new Set([7])));
    expect(await send(runId).done).toBe('finished');
    const before = { counts: journal.counts(runId), byType: countsByType(db, runId) };
    // The database as the version before kept it: no counts, schema 12.
    db.exec(`DROP TRIGGER run_batches_count_insert; DROP TRIGGER run_batches_count_delete;
             DROP TRIGGER run_batches_count_update; DROP TABLE run_state_counts; DROP TABLE run_type_counts;
             PRAGMA user_version = 12;`);
    db.close();
    db = openDatabase(file);
    journal = new Journal(db);
    expect(journal.counts(runId)).toEqual(before.counts);
    expect(countsByType(db, runId)).toEqual(before.byType);
    expectExact(runId);
  });
});
