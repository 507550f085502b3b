import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunProgress, Workspace } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { call, loadMappedUsers, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

const runEnd = (services: Services, runId: string) =>
  new Promise<RunProgress>((resolve) => {
    const stop = services.bus.on(
      'runProgress',
      (p) => p.runId === runId && (p.state === 'finished' || p.state === 'cancelled') && (stop(), resolve(p)),
    );
  });

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
    const workspace = await call<Workspace>(services, 'saveWorkspace', {
      name: 'Emulator',
      address: emulator.baseUrl,
      token: emulator.config.token,
      sessionOnly: true,
    });
    await call(services, 'updateSettings', { workspaceId: workspace.id });
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
      accepted: 238,
      rejected: 0,
      pending: 0,
      batchesDone: 3,
      batchesTotal: 3,
    });
    expect(emulator.state.users.size).toBe(119);
    expect(emulator.state.users.has('U7')).toBe(false);
    const runs = await call<{ id: string; state: string; accepted: number }[]>(services, 'listRuns', {});
    expect(runs).toMatchObject([
      { id: runId, state: 'finished', accepted: 238, fileName: 'users.csv', workspaceName: 'Emulator' },
    ]);
  });

  it('sends just the first rows as a trial', async () => {
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId, trialRows: 10 });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({ state: 'finished', accepted: 18 });
    expect([...emulator.state.users.keys()].sort()).toEqual(['U1', 'U10', 'U2', 'U3', 'U4', 'U5', 'U6', 'U8', 'U9']);
  });

  it('reports a message Vitally refuses by its row and Vitally’s reason, and sends the rest', async () => {
    emulator.configure({ refuse: { field: 'userId', value: 'U50' } });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({ state: 'finished', accepted: 237, rejected: 1 });
    expect(await call(services, 'listRejected', { runId })).toEqual([
      {
        rowNumber: 51,
        type: 'user',
        status: 400,
        reason: 'Message 0: userId "U50" is not accepted by this workspace.',
      },
    ]);
  });

  it('resumes a cancelled import, sending only what was not accepted', async () => {
    emulator.configure({ latencyMs: 100 });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    const cancelled = runEnd(services, runId);
    await new Promise<void>((resolve) => {
      const stop = services.bus.on(
        'runProgress',
        (p) => p.runId === runId && p.batchesDone >= 1 && (stop(), resolve()),
      );
    });
    await call(services, 'cancelSend', { runId });
    const stopped = await cancelled;
    expect(stopped.state).toBe('cancelled');
    expect(stopped.accepted).toBeLessThan(238);
    const resumed = runEnd(services, runId);
    await call(services, 'resumeRun', { runId });
    expect(await resumed).toMatchObject({ state: 'finished', accepted: 238, pending: 0 });
    expect(emulator.state.applied.filter((m) => m.type === 'user').length).toBe(119);
  });

  it('refuses to send without a checked preview or a token, saying what to do', async () => {
    await call(services, 'updateSettings', { workspaceId: null });
    expect(await services.dispatch('startSend', { fileId })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: 'Choose a workspace in Connect first.' },
    });
  });
});
