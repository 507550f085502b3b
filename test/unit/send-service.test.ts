import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { call, loadMappedUsers, runEnd, taskEnd, useEmulator } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

/** Resolves with the first progress event of the run in one of `states` (by default, any end). */
describe('sending a checked file to a workspace', () => {
  let emulator: Emulator;
  let services: Services;
  let fileId: string;

  beforeEach(async () => {
    emulator = await startEmulator({ token: 'send-token-1234' });
    const dir = tempDir();
    services = createServices({
      host: 'electron',
      paths: pathsIn(join(dir, 'data')),
      log: createMemoryLogger(),
      keychain: null,
    });
    fileId = await loadMappedUsers(services, dir, { users: 120, accounts: 5, badSeats: 7 });
    const preview = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    await taskEnd(services, preview.taskId);
    await useEmulator(services, emulator);
  });

  afterEach(async () => {
    await services.close();
    await emulator.close();
  });

  it('sends every checked row once and records the outcome in History', async () => {
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({
      state: 'finished',
      accepted: 124,
      rejected: 0,
      pending: 0,
      batchesDone: 2,
      batchesTotal: 2,
    });
    expect(emulator.state.users.size).toBe(119);
    expect(emulator.state.users.has('U7')).toBe(false);
    const runs = await call<{ id: string; state: string; accepted: number }[]>(services, 'listRuns', {});
    expect(runs).toMatchObject([
      { id: runId, state: 'finished', accepted: 124, fileName: 'users.csv', workspaceName: 'Emulator' },
    ]);
  });

  it('pauses when Vitally refuses the token, and goes on with a new one pasted in place, nothing lost', async () => {
    emulator.configure({ token: 'rotated-token-5678' });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    const paused = await runEnd(services, runId, ['paused']);
    expect(paused).toMatchObject({
      needs: 'token',
      needsAttention: true,
      status: 'Vitally refused the token (401). Paste a new one to go on; nothing is lost.',
    });
    expect(await call(services, 'replaceRunToken', { runId, token: 'rotated-token-5678' })).toEqual({ ok: true });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({ state: 'finished', accepted: 124, rejected: 0, needs: null });
    expect(emulator.state.users.size).toBe(119);
    // The new token is the workspace's now, kept where the old one was.
    const [workspace] = await call<Workspace[]>(services, 'listWorkspaces', {});
    expect(workspace?.token).toEqual({ saved: true, lastFour: '5678', storage: 'session' });
  });

  it('sends the rows as corrected in Preview, and History says how they were corrected', async () => {
    // Row 8 (user 7) has unreadable seats: corrected in place. Row 2 (user 1) is left out.
    await call(services, 'editCell', { fileId, rowNumber: 8, column: 2, value: '70' });
    await call(services, 'setRowsExcluded', { fileId, rowNumbers: [2], excluded: true });
    await taskEnd(services, (await call<{ taskId: string }>(services, 'startPreview', { fileId })).taskId);
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    expect(await runEnd(services, runId)).toMatchObject({ state: 'finished', rejected: 0 });
    expect(emulator.state.users.get('U7')?.traits).toMatchObject({ seats: 70 });
    expect(emulator.state.users.has('U1')).toBe(false);
    expect(emulator.state.users.size).toBe(119);
    const [run] = await call<Record<string, unknown>[]>(services, 'listRuns', {});
    expect(run).toMatchObject({ id: runId, rows: 119, editedCells: 1, excludedRows: 1 });
  });

  it('sends just the first rows as a trial', async () => {
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId, trialRows: 10 });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({ state: 'finished', accepted: 14 });
    expect([...emulator.state.users.keys()].sort()).toEqual(['U1', 'U10', 'U2', 'U3', 'U4', 'U5', 'U6', 'U8', 'U9']);
  });

  it('reports a message Vitally refuses by its row and Vitally’s reason, and sends the rest', async () => {
    emulator.configure({ refuse: { field: 'userId', value: 'U50' } });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({ state: 'finished', accepted: 123, rejected: 1 });
    expect(await call(services, 'listRejected', { runId })).toEqual([
      {
        rowNumber: 51,
        type: 'user',
        status: 400,
        reason: 'Message 0: userId "U50" is not accepted by this workspace.',
      },
    ]);
  });

  // Cancel, Pause and Resume in the middle of a longer send: test/unit/one-sender.test.ts.

  it('refuses to send without a checked preview or a token, saying what to do', async () => {
    await call(services, 'updateSettings', { workspaceId: null });
    expect(await services.dispatch('startSend', { fileId })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: 'Choose a workspace in Connect first.' },
    });
  });
});
