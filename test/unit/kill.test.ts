import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/journal/database.ts';
import { Journal } from '../../app/journal/journal.ts';
import { countsByType, recountByType } from '../../app/journal/outcomes.ts';
import { RunBatches } from '../../app/journal/run-batches.ts';
import { RunRecords } from '../../app/journal/runs.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { tempDir } from '../support/temp.ts';

const ROWS = 20_000;
const KILLS = 10;
const CHILD = new URL('../kill/send-child.ts', import.meta.url);

/** Deterministic "random" kill moments: request counts at which the sending process is killed. */
function killPoints(): number[] {
  let state = 20_261_123;
  const points = new Set<number>();
  while (points.size < KILLS) {
    state = (state * 1664525 + 1013904223) >>> 0;
    points.add(2 + (state % 180));
  }
  return [...points].sort((a, b) => a - b);
}

describe('a send killed at random moments and resumed each time', () => {
  let emulator: Emulator;
  let database: string;

  beforeAll(async () => {
    emulator = await startEmulator({ token: 'kill-test' });
    database = join(tempDir(), 'app.sqlite');
  });
  const children = new Set<ChildProcess>();
  afterAll(async () => {
    // Even when the test fails or times out, no sending process outlives it.
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await emulator.close();
  });

  const launch = (): ChildProcess => {
    const child = spawn(
      process.execPath,
      [CHILD.pathname, database, emulator.baseUrl, emulator.config.token, String(ROWS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.add(child);
    return child;
  };

  it('ends with every message in Vitally exactly once, no row lost, and only unknown batches sent twice', async () => {
    for (const point of killPoints()) {
      const child = launch();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Kill as the point-th request arrives: that batch is on its way, its answer not yet given.
      const reached = new Promise<void>((resolve) => {
        const stop = emulator.onRequest((count) => {
          if (count >= point) {
            stop();
            child.kill('SIGKILL');
            resolve();
          }
        });
        void exited.then(() => {
          stop();
          resolve();
        });
      });
      await reached;
      await exited;
    }
    const last = launch();
    let output = '';
    last.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => last.once('exit', resolve));
    expect(output.trim()).toBe('finished');

    // Vitally holds every message exactly once after de-duplication.
    const applied = emulator.state.applied.map((m) => m.messageId);
    expect(applied.length).toBe(ROWS);
    expect(new Set(applied).size).toBe(ROWS);

    // The journal says every batch was accepted: no row lost.
    const db = openDatabase(database);
    const journal = new Journal(db);
    const runId = (db.prepare('SELECT id FROM runs').get() as { id: string }).id;
    expect(journal.counts(runId).messages).toEqual({ accepted: ROWS, rejected: 0, pending: 0, unknown: 0 });
    // The counts kept through ten kills equal a recount of every batch.
    expect(journal.counts(runId)).toEqual(journal.recount(runId));
    expect(countsByType(db, runId)).toEqual(recountByType(db, runId));
    expect(new RunRecords(db).record(runId)?.state).toBe('finished');

    // A batch reached Vitally more than once only if a kill left its outcome unknown.
    const received = new Map<string, number>();
    for (const request of emulator.requests) {
      const first = request.messageIds[0];
      if (first) received.set(first, (received.get(first) ?? 0) + 1);
    }
    const history = new RunBatches(db).history(runId);
    const sentTwice = history.filter(
      (batch) => (received.get((JSON.parse(batch.firstMessage) as { messageId: string }).messageId) ?? 0) > 1,
    );
    expect(sentTwice.length).toBeGreaterThan(0);
    for (const batch of sentTwice) expect(batch.unknowns).toBeGreaterThan(0);
    expect(history.filter((batch) => batch.unknowns > 0).length).toBeLessThanOrEqual(KILLS * 8);
    db.close();
  }, 180_000);
});
