import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../app/journal/database.ts';
import { Journal, type PlannedBatch } from '../../app/journal/journal.ts';
import { RunBatches } from '../../app/journal/run-batches.ts';
import { RunRecords } from '../../app/journal/runs.ts';
import { startRun } from '../../app/send/run.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { tempDir } from '../support/temp.ts';

const TS = '2026-11-23T10:00:00.000Z';
const user = (row: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'user',
    userId: `u${row}`,
    accountId: 'A1',
    traits: {},
    messageId: `row-${row}`,
    timestamp: TS,
    ...extra,
  });

describe('the run journal', () => {
  let emulator: Emulator;
  let db: Database;
  let journal: Journal;

  beforeEach(async () => {
    emulator = await startEmulator();
    db = openDatabase(join(tempDir(), 'app.sqlite'));
    journal = new Journal(db);
  });
  afterEach(async () => {
    db.close();
    await emulator.close();
  });

  it('records each refused message with its spreadsheet row and Vitally’s reason, and the rest as accepted', async () => {
    const rows = [2, 3, 4, 5];
    const batch: PlannedBatch = {
      id: '0',
      messages: rows.map((row) => (row === 4 ? user(row, { accountId: undefined }) : user(row))),
      types: rows.map(() => 'user'),
      sourceRows: rows,
    };
    const runId = journal.createRun(
      { fileName: 'users.csv', workspaceName: 'Acme', baseUrl: emulator.baseUrl, rows: 4 },
      [batch],
    );
    const { done } = startRun(journal, runId, { baseUrl: emulator.baseUrl, token: emulator.config.token });
    expect(await done).toBe('finished');
    expect(journal.counts(runId).messages).toEqual({ accepted: 3, rejected: 1, pending: 0, unknown: 0 });
    const rejected = db
      .prepare("SELECT source_rows AS rows, status, reason FROM run_batches WHERE run_id = ? AND state = 'rejected'")
      .all(runId);
    expect(rejected).toEqual([
      { rows: '[4]', status: 400, reason: expect.stringContaining('accountId or organizationId') as unknown },
    ]);
    expect(db.prepare('SELECT accepted, rejected, state FROM runs WHERE id = ?').get(runId)).toEqual({
      accepted: 3,
      rejected: 1,
      state: 'finished',
    });
  });

  it('after a crash, marks what was on its way as unknown and offers the run for resuming', () => {
    const runId = journal.createRun({ fileName: 'f.csv', workspaceName: 'Acme', baseUrl: emulator.baseUrl, rows: 2 }, [
      { id: '0', messages: [user(2)], types: ['user'], sourceRows: [2] },
      { id: '1', messages: [user(3)], types: ['user'], sourceRows: [3] },
    ]);
    journal.setRunState(runId, 'sending');
    journal.markSending(runId, '0');
    expect(journal.recover()).toEqual([runId]);
    expect(new RunRecords(db).record(runId)?.state).toBe('interrupted');
    expect(journal.counts(runId).batches).toMatchObject({ unknown: 1, planned: 1, sending: 0 });
    expect(new RunBatches(db).pending(runId).map((b) => b.id)).toEqual(['0', '1']);
  });
});
