import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTest, FileSummary, Workspace } from '../../app/contract.ts';
import { PRACTICE_REFUSED_USER, SAMPLE_FILE } from '../../main/services/practice.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, runEnd, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

describe('“Try it without Vitally”: a practice workspace and the sample spreadsheet', () => {
  const open: Services[] = [];
  const start = (dir: string) => {
    const services = desktopServices(dir, { host: 'web' });
    open.push(services);
    return services;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((services) => services.close()));
  });

  it('runs a whole import of the sample in the app alone, with the one row it refuses on purpose', async () => {
    const services = start(tempDir());
    const workspace = await call<Workspace>(services, 'startPractice', {});
    expect(workspace).toMatchObject({ practice: true, token: { saved: true, storage: 'session' } });
    expect(new URL(workspace.baseUrl).hostname).toBe('127.0.0.1');
    expect(await call<ConnectionTest>(services, 'testConnection', { id: workspace.id })).toMatchObject({
      outcome: 'not-refused',
    });
    await call(services, 'updateSettings', { workspaceId: workspace.id });

    const sample = await call<{ taskId: string; fileId: string }>(services, 'openSample', {});
    expect(await taskEnd(services, sample.taskId)).toMatchObject({ outcome: 'done' });
    const file = await call<FileSummary>(services, 'getFile', { fileId: sample.fileId });
    const rows = readFileSync(SAMPLE_FILE, 'utf8').trim().split(/\r?\n/).length - 1;
    expect(file).toMatchObject({ name: 'contacts-sample.csv', state: 'ready', result: { rowCount: rows } });

    const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId: sample.fileId });
    await call(services, 'saveMapping', { fileId: sample.fileId, mapping });
    const preview = await call<{ taskId: string }>(services, 'startPreview', { fileId: sample.fileId });
    expect(await taskEnd(services, preview.taskId)).toMatchObject({ outcome: 'done' });
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId: sample.fileId });
    const end = await runEnd(services, runId);
    expect(end).toMatchObject({ state: 'finished', rejected: 1 });
    expect(end.accepted).toBeGreaterThanOrEqual(rows - 1);
    const failed = await call<unknown[]>(services, 'listRejected', { runId });
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed)).toContain(PRACTICE_REFUSED_USER);
  });

  it('comes back after a restart, pointed at the new session’s stand-in, and cannot be edited', async () => {
    const dir = tempDir();
    const first = start(dir);
    const before = await call<Workspace>(first, 'startPractice', {});
    await first.close();

    const second = start(dir);
    const [after] = await call<Workspace[]>(second, 'listWorkspaces', {});
    expect(after).toMatchObject({ id: before.id, practice: true, token: { saved: true } });
    expect(await call<ConnectionTest>(second, 'testConnection', { id: before.id })).toMatchObject({
      outcome: 'not-refused',
    });
    const edit = await second.dispatch('saveWorkspace', { id: before.id, name: 'Mine', address: 'acme', token: 'x' });
    expect(edit).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
  });

  it('makes one practice workspace when two tabs ask for it at once', async () => {
    const services = start(tempDir());
    const [a, b] = await Promise.all([
      call<Workspace>(services, 'startPractice', {}),
      call<Workspace>(services, 'startPractice', {}),
    ]);
    expect(a.id).toBe(b.id);
    expect(await call<Workspace[]>(services, 'listWorkspaces', {})).toHaveLength(1);
  });

  it('does not let another page on this computer reconfigure the stand-in', async () => {
    const services = start(tempDir());
    const workspace = await call<Workspace>(services, 'startPractice', {});
    const origin = new URL(workspace.baseUrl).origin;
    expect((await fetch(`${origin}/__emulator/state`)).status).toBe(404);
    expect((await fetch(`${origin}/__emulator/config`, { method: 'POST', body: '{"refuse":null}' })).status).toBe(404);
  });
});
