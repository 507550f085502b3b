import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunProgress, Workspace } from '../../app/contract.ts';
import type { Services } from '../../main/services/index.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { call, desktopServices, loadMappedUsers, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Attacks on "nothing sent twice by accident, nothing lost": two Resumes, two windows pressing Send, two app
 * instances on one data folder, Pause and Cancel in the middle of a send, a full send after a trial. Vitally (the
 * emulator) must receive every message exactly once, and the counts the app shows must equal what it received.
 */

const USERS = 1500;

/** How many times the emulator received each messageId, over every request. */
function receipts(emulator: Emulator): Map<string, number> {
  const seen = new Map<string, number>();
  for (const request of emulator.requests) {
    if (request.status !== 200) continue;
    for (const id of request.messageIds) if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return seen;
}

function expectEachOnce(emulator: Emulator, total: number): void {
  const seen = receipts(emulator);
  expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
  expect(seen.size).toBe(total);
}

/** Resolves with the first progress event of the run that satisfies `test`. */
function progressWhere(services: Services, runId: string, test: (p: RunProgress) => boolean): Promise<RunProgress> {
  return new Promise((resolve) => {
    const stop = services.bus.on('runProgress', (p) => {
      if (p.runId !== runId || !test(p)) return;
      stop();
      resolve(p);
    });
  });
}

const ended = (p: RunProgress) => p.state === 'finished' || p.state === 'cancelled';

describe('one sender per run, exact counts', () => {
  let emulator: Emulator;
  let dir: string;
  let services: Services;
  let others: Services[];
  let fileId: string;
  let total: number;

  /** A second app on the same data folder, with the same workspace (tokens are per app here: no keychain). */
  async function secondApp(): Promise<Services> {
    const other = desktopServices(dir);
    others.push(other);
    await connect(other);
    return other;
  }

  /** Saves the workspace (the one already in the data folder, if any) with its token, and chooses it. */
  async function connect(target: Services): Promise<void> {
    const existing = (await call<Workspace[]>(target, 'listWorkspaces', {}))[0];
    const workspace = await call<Workspace>(target, 'saveWorkspace', {
      ...(existing ? { id: existing.id } : {}),
      name: 'Emulator',
      address: emulator.baseUrl,
      token: emulator.config.token,
      sessionOnly: true,
    });
    await call(target, 'updateSettings', { workspaceId: workspace.id });
  }

  // Vitally slows down just before a Pause or Cancel, so the send is surely still going however busy the machine
  // is, and speeds up again before it goes on.
  const slowDown = () => emulator.configure({ latencyMs: 800 });
  const speedUp = () => emulator.configure({ latencyMs: 20 });

  /**
   * Starts sending the file and, once `accepted` messages are in, pauses or cancels it with Vitally slowed down;
   * resolves with the run and its settled progress: paused with every answer in, or ended.
   */
  async function sendThenStop(how: 'pause' | 'cancel', accepted = 1) {
    emulator.configure({ latencyMs: 60 });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    await progressWhere(services, runId, (p) => p.accepted >= accepted);
    const settled = progressWhere(
      services,
      runId,
      how === 'pause' ? (p) => p.state === 'paused' && p.status.startsWith('Paused.') : ended,
    );
    slowDown();
    await call(services, how === 'pause' ? 'pauseSend' : 'cancelSend', { runId });
    return { runId, stopped: await settled };
  }

  beforeEach(async () => {
    emulator = await startEmulator({ token: 'one-sender-token' });
    dir = tempDir();
    others = [];
    services = desktopServices(dir);
    fileId = await loadMappedUsers(services, dir, { users: USERS, accounts: 7, badSeats: 0 });
    const preview = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    await taskEnd(services, preview.taskId);
    total = (await call<{ summary: { messages: number } }>(services, 'getPreview', { fileId })).summary.messages;
    await connect(services);
  }, 60_000);

  afterEach(async () => {
    for (const other of others) await other.close();
    await services.close();
    await emulator.close();
  });

  it('two Resumes of a paused run (two tabs, or History beside the banner) make one sender', async () => {
    const { runId } = await sendThenStop('pause');

    speedUp();

    const end = progressWhere(services, runId, ended);
    const answers = await Promise.all([
      call<{ runId: string }>(services, 'resumeRun', { runId }),
      call<{ runId: string }>(services, 'resumeRun', { runId }),
      call(services, 'resumeSend', { runId }),
    ]);
    expect(answers.slice(0, 2)).toEqual([{ runId }, { runId }]);
    expect(await end).toMatchObject({ state: 'finished', accepted: total, pending: 0 });
    expectEachOnce(emulator, total);
  }, 60_000);

  it('a paused run goes on when Resume finds no token to read (a keychain that does not answer), with the one it has', async () => {
    const { runId } = await sendThenStop('pause');
    speedUp();
    const [workspace] = await call<Workspace[]>(services, 'listWorkspaces', {});
    await call(services, 'forgetToken', { id: workspace?.id });
    const end = progressWhere(services, runId, ended);
    expect(await call(services, 'resumeSend', { runId })).toEqual({ ok: true });
    expect(await end).toMatchObject({ state: 'finished', accepted: total, pending: 0 });
    expectEachOnce(emulator, total);
  }, 60_000);

  it('two Resumes of an interrupted run, from the app started after a crash, make one sender', async () => {
    const { runId } = await sendThenStop('pause');
    await services.close(); // The app ends; its run is left paused, with no sender.

    services = desktopServices(dir);
    await connect(services);
    speedUp();
    const end = progressWhere(services, runId, ended);
    const answers = await Promise.all([
      services.dispatch('resumeRun', { runId }),
      services.dispatch('resumeRun', { runId }),
    ]);
    expect(answers).toEqual([
      { ok: true, value: { runId } },
      { ok: true, value: { runId } },
    ]);
    expect(await end).toMatchObject({ state: 'finished', accepted: total });
    expectEachOnce(emulator, total);
  }, 60_000);

  it('a second app on the same data folder leaves a live run alone and cannot send it or its file again', async () => {
    emulator.configure({ latencyMs: 300 });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    await progressWhere(services, runId, (p) => p.accepted > 0);
    slowDown();
    const end = progressWhere(services, runId, ended);

    const other = await secondApp();
    // Its start-up recovery did not take the live run for an interrupted one.
    const runs = await call<{ id: string; state: string }[]>(other, 'listRuns', { limit: 10 });
    expect(runs.find((run) => run.id === runId)?.state).not.toBe('interrupted');
    expect(await other.dispatch('resumeRun', { runId })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('already being sent') as unknown },
    });
    expect(await other.dispatch('startSend', { fileId })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('already being sent') as unknown },
    });

    speedUp();
    expect(await end).toMatchObject({ state: 'finished', accepted: total });
    expectEachOnce(emulator, total);
  }, 60_000);

  it('two windows pressing Send all at once send the file once', async () => {
    emulator.configure({ latencyMs: 20 });
    const [first, second] = await Promise.all([
      services.dispatch('startSend', { fileId }),
      services.dispatch('startSend', { fileId }),
    ]);
    const started = [first, second].filter((answer) => answer?.ok);
    expect(started).toHaveLength(1);
    expect([first, second].find((answer) => !answer?.ok)).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    const runId = (started[0] as { value: { runId: string } }).value.runId;
    const progress = await call<RunProgress>(services, 'getRunProgress', { runId });
    if (!ended(progress)) await progressWhere(services, runId, ended);
    expectEachOnce(emulator, total);
  }, 60_000);

  it('Cancel waits for what is on its way: the counts equal what Vitally received, and Resume sends the rest once', async () => {
    const { runId, stopped } = await sendThenStop('cancel', 300);
    expect(stopped.state).toBe('cancelled');
    expect(stopped.accepted).toBe(receipts(emulator).size);
    expect(stopped.accepted + stopped.pending).toBe(total);
    expect(stopped.unknown).toBe(0);
    expect(await call(services, 'getRunProgress', { runId })).toMatchObject({ accepted: stopped.accepted });

    speedUp();

    const resumed = progressWhere(services, runId, (p) => p.state === 'finished');
    await call(services, 'resumeRun', { runId });
    expect(await resumed).toMatchObject({ accepted: total, pending: 0 });
    expectEachOnce(emulator, total);
  }, 60_000);

  it('Pause shows what Vitally received once the requests already sent are answered', async () => {
    const { runId, stopped: paused } = await sendThenStop('pause', 300);
    expect(paused.accepted).toBe(receipts(emulator).size);
    expect(await call(services, 'getRunProgress', { runId })).toMatchObject({ accepted: paused.accepted });
    // Nothing more goes out while paused.
    const requests = emulator.requests.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(emulator.requests.length).toBe(requests);

    speedUp();

    const end = progressWhere(services, runId, ended);
    await call(services, 'resumeSend', { runId });
    expect(await end).toMatchObject({ state: 'finished', accepted: total });
    expectEachOnce(emulator, total);
  }, 60_000);

  it('resuming an old cancelled run after a later send of the same file sends nothing that one delivered', async () => {
    const first = await sendThenStop('cancel', 200);
    speedUp();

    const second = await call<{ runId: string }>(services, 'startSend', { fileId });
    expect(await progressWhere(services, second.runId, ended)).toMatchObject({ state: 'finished', pending: 0 });

    const requests = emulator.requests.length;
    const resumed = progressWhere(services, first.runId, ended);
    await call(services, 'resumeRun', { runId: first.runId });
    expect(await resumed).toMatchObject({ state: 'finished', pending: 0 });
    expect(emulator.requests.length).toBe(requests);
    expectEachOnce(emulator, total);
  }, 60_000);

  it('a cell corrected after a partial send: Send all sends the rest and the corrected row, nothing else again', async () => {
    const { stopped } = await sendThenStop('cancel', 300);
    speedUp();
    // Row 3 (user U2, sent before the Cancel) gets a new Seats value; the file is checked again.
    await call(services, 'editCell', { fileId, rowNumber: 3, column: 2, value: '999' });
    const check = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    await taskEnd(services, check.taskId);

    const second = await call<{ runId: string }>(services, 'startSend', { fileId });
    const end = await progressWhere(services, second.runId, ended);
    expect(end).toMatchObject({ state: 'finished', alreadyAccepted: stopped.accepted - 1, pending: 0 });
    const seen = receipts(emulator);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    expect(seen.size).toBe(total + 1);
  }, 60_000);

  it('a paused run never goes on with the token of a workspace moved to another address', async () => {
    const { runId } = await sendThenStop('pause');
    speedUp();

    // The same workspace now points at another Vitally, with that one's token.
    const production = await startEmulator({ token: 'production-token-7a21' });
    try {
      const workspace = (await call<Workspace[]>(services, 'listWorkspaces', {}))[0];
      await call(services, 'saveWorkspace', {
        id: workspace?.id,
        name: 'Emulator',
        address: production.baseUrl,
        token: production.config.token,
        sessionOnly: true,
      });
      const requests = emulator.requests.length;
      for (const name of ['resumeSend', 'resumeRun'] as const) {
        expect(await services.dispatch(name, { runId })).toMatchObject({
          ok: false,
          error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('cannot go on') as unknown },
        });
      }
      await call(services, 'cancelSend', { runId });
      await progressWhere(services, runId, ended);
      expect(emulator.requests.length).toBe(requests);
      expect(production.requests).toEqual([]);
    } finally {
      await production.close();
    }
  }, 60_000);

  it('Send all after a trial sends only what the trial did not, and says so', async () => {
    const trial = await call<{ runId: string }>(services, 'startSend', { fileId, trialRows: 10 });
    const trialEnd = await progressWhere(services, trial.runId, ended);
    expect(trialEnd).toMatchObject({ state: 'finished', rejected: 0 });
    const trialMessages = trialEnd.accepted;
    expect(trialMessages).toBeGreaterThanOrEqual(10);

    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    const end = await progressWhere(services, runId, ended);
    expect(end).toMatchObject({
      state: 'finished',
      accepted: total - trialMessages,
      alreadyAccepted: trialMessages,
      pending: 0,
    });
    expectEachOnce(emulator, total);
  }, 60_000);
});

describe('the journal’s ownership after a crash', () => {
  it('recovers a run whose sender’s process is gone, and leaves a live one alone', async () => {
    const { openDatabase } = await import('../../app/journal/database.ts');
    const { Journal } = await import('../../app/journal/journal.ts');
    const { RunRecords } = await import('../../app/journal/runs.ts');
    const db = openDatabase(join(tempDir(), 'app.sqlite'));
    const journal = new Journal(db);
    const batch = (id: string) => ({ id, messages: ['{}'], types: ['user'], sourceRows: [2] });
    const now = 1_000_000;
    const alive = (pid: number) => pid === 100;
    const live = journal.createRun({ fileName: 'a.csv', workspaceName: 'W', baseUrl: 'x', fileId: 'f1', rows: 1 }, [
      batch('0'),
    ]);
    const dead = journal.createRun({ fileName: 'b.csv', workspaceName: 'W', baseUrl: 'x', fileId: 'f2', rows: 1 }, [
      batch('0'),
    ]);
    expect(journal.claim(live, '100:live', { now, isAlive: alive })).toBe(true);
    expect(journal.claim(dead, '200:dead', { now, isAlive: () => true })).toBe(true);
    for (const run of [live, dead]) {
      journal.setRunState(run, 'sending');
      journal.markSending(run, '0');
    }
    // Another sender in a live process cannot take the live run; the dead one's run can be taken at once.
    expect(journal.claim(live, '300:other', { now, isAlive: alive })).toBe(false);
    expect(journal.recover({ now, isAlive: alive })).toEqual([dead]);
    expect(new RunRecords(db).record(live)?.state).toBe('sending');
    expect(journal.counts(live).batches.sending).toBe(1);
    expect(journal.counts(dead).batches.unknown).toBe(1);
    // A live process whose sender stopped beating for long is gone too.
    expect(journal.claim(live, '300:other', { now: now + 60_000, isAlive: alive })).toBe(true);
    expect(journal.counts(live).batches.unknown).toBe(1);
    db.close();
  });
});
