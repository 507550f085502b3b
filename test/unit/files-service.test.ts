import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HostKind, TaskFinished } from '../../app/contract.ts';
import { openDatabase } from '../../app/journal/database.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { safeFileName } from '../../main/services/files.ts';
import { call } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

function start(host: HostKind = 'electron') {
  const dir = tempDir();
  const services = createServices({ host, paths: pathsIn(join(dir, 'data')), log: createMemoryLogger() });
  return { dir, services };
}

/** Resolves with the end of a task, and every progress value seen before it. */
function finished(services: Services, taskId: string): Promise<{ end: TaskFinished; progress: (number | null)[] }> {
  const progress: (number | null)[] = [];
  return new Promise((resolve) => {
    const stopProgress = services.bus.on('progress', (p) => p.taskId === taskId && progress.push(p.value));
    const stop = services.bus.on('taskFinished', (end) => {
      if (end.taskId !== taskId) return;
      stop();
      stopProgress();
      resolve({ end, progress });
    });
  });
}

/** Writes `content` to the file `name` in `dir`, and starts loading it from there as a desktop user would. */
async function loadPath(services: Services, dir: string, name: string, content: string | Buffer) {
  const path = join(dir, name);
  writeFileSync(path, content);
  const task = await call<{ taskId: string; fileId: string }>(services, 'loadFile', { source: { kind: 'path', path } });
  return { ...task, path };
}

describe('loading a spreadsheet in a worker', () => {
  it('reads a file into the database and pages through its rows', async () => {
    const { dir, services } = start();
    const rows = Array.from({ length: 1000 }, (_, i) => `A${i},Company ${i}\n`).join('');
    const task = await loadPath(services, dir, 'accounts.csv', 'Account ID,Name\n' + rows);
    const { end, progress } = await finished(services, task.taskId);
    expect(end).toEqual({ taskId: task.taskId, fileId: task.fileId, outcome: 'done', message: null });
    // Progress says 100 % only by ending: bytes read run ahead of the rows stored.
    expect(progress.every((value) => value === null || value < 1)).toBe(true);

    const file = await call<{ state: string; name: string; result: { rowCount: number; columns: unknown[] } }>(
      services,
      'getFile',
      { fileId: task.fileId },
    );
    expect(file).toMatchObject({ state: 'ready', name: 'accounts.csv', result: { rowCount: 1000 } });
    const page = await call<{ rows: { rowNumber: number; cells: string[] }[] }>(services, 'getRows', {
      fileId: task.fileId,
      offset: 254,
      limit: 4,
    });
    expect(page.rows).toEqual([
      { rowNumber: 256, cells: ['A254', 'Company 254'] },
      { rowNumber: 257, cells: ['A255', 'Company 255'] },
      { rowNumber: 258, cells: ['A256', 'Company 256'] },
      { rowNumber: 259, cells: ['A257', 'Company 257'] },
    ]);
    const recent = await call<{ id: string }[]>(services, 'listRecentFiles', {});
    expect(recent.map((f) => f.id)).toEqual([task.fileId]);
    await services.close();
  });

  it('reads again with the settings the user overrides', async () => {
    const { dir, services } = start();
    const first = await loadPath(services, dir, 'titled.csv', 'Export,\nid,name\n1,Ana\n');
    await finished(services, first.taskId);
    expect(await call(services, 'getFile', { fileId: first.fileId })).toMatchObject({ result: { headerRow: 2 } });
    const again = await call<{ taskId: string }>(services, 'rereadFile', {
      fileId: first.fileId,
      settings: { headerRow: 1 },
    });
    await finished(services, again.taskId);
    expect(await call(services, 'getFile', { fileId: first.fileId })).toMatchObject({
      settings: { headerRow: 1 },
      result: { headerRow: 1, rowCount: 2, columns: [{ name: 'Export' }, { name: 'Column B' }] },
    });
    await services.close();
  });

  it('reports a file it cannot read, in plain words, as the end of the task', async () => {
    const { dir, services } = start();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const task = await loadPath(services, dir, 'photo.csv', png);
    const { end } = await finished(services, task.taskId);
    expect(end.outcome).toBe('failed');
    expect(end.message).toMatch(/“photo.csv” is a PNG image, not a spreadsheet/);
    expect(await call(services, 'getFile', { fileId: task.fileId })).toMatchObject({
      state: 'failed',
      problem: end.message,
    });
    await services.close();
  });

  it('can be cancelled, keeping no rows', async () => {
    const { dir, services } = start();
    const task = await loadPath(services, dir, 'big.csv', 'a,b\n' + '1,2\n'.repeat(3_000_000));
    const done = finished(services, task.taskId);
    const stop = services.bus.on('progress', (p) => {
      if (p.taskId === task.taskId && (p.value ?? 0) > 0) void call(services, 'cancelTask', { taskId: task.taskId });
    });
    expect((await done).end.outcome).toBe('cancelled');
    stop();
    expect(await call(services, 'getFile', { fileId: task.fileId })).toMatchObject({
      state: 'cancelled',
      result: null,
    });
    const rows = await services.dispatch('getRows', { fileId: task.fileId, offset: 0, limit: 10 });
    expect(rows).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    await services.close();
  });

  it('opens an unchanged recent file at once, and reads a changed one again', async () => {
    const { dir, services } = start();
    const task = await loadPath(services, dir, 'users.csv', 'email\na@b.co\n');
    await finished(services, task.taskId);
    expect(await call(services, 'openRecentFile', { fileId: task.fileId })).toEqual({
      taskId: null,
      fileId: task.fileId,
    });
    writeFileSync(task.path, 'email\na@b.co\nc@d.co\n');
    const reopened = await call<{ taskId: string }>(services, 'openRecentFile', { fileId: task.fileId });
    await finished(services, reopened.taskId);
    expect(await call(services, 'getFile', { fileId: task.fileId })).toMatchObject({ result: { rowCount: 2 } });
    await services.close();
  });

  it('in the browser, opens only uploaded copies, never a path on disk', async () => {
    const { dir, services } = start('web');
    const path = join(dir, 'secret.csv');
    writeFileSync(path, 'a\n1\n');
    const answer = await services.dispatch('loadFile', { source: { kind: 'path', path } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const source = await services.files.receiveUpload('../../evil name.csv', 6, Readable.from([Buffer.from('a\n1\n')]));
    const task = await call<{ taskId: string; fileId: string }>(services, 'loadFile', { source });
    await finished(services, task.taskId);
    expect(await call(services, 'getFile', { fileId: task.fileId })).toMatchObject({
      name: 'evil name.csv',
      state: 'ready',
    });
    await services.close();
  });

  it('refuses an upload the disk has no room for', async () => {
    const { services } = start('web');
    await expect(services.files.receiveUpload('huge.csv', 2 ** 52, Readable.from([]))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/“huge.csv” needs about .* MB of free disk space/) as unknown,
    });
    await services.close();
  });

  it('marks a read cut short by a crash as failed on the next start', async () => {
    const dir = tempDir();
    const paths = pathsIn(join(dir, 'data'));
    const db = openDatabase(paths.databaseFile);
    const fileId = '0b7d3a4e-8d1f-4a44-9a59-0f4d7f1c2e11';
    db.prepare(
      `INSERT INTO files (id, created_at, name, source_path, size, modified_at, state)
       VALUES (?, '2026-11-23T00:00:00.000Z', 'a.csv', '/nowhere/a.csv', 10, '2026-11-23T00:00:00.000Z', 'loading')`,
    ).run(fileId);
    db.close();
    const services = createServices({ host: 'electron', paths, log: createMemoryLogger() });
    expect(await call(services, 'getFile', { fileId })).toMatchObject({
      state: 'failed',
      problem: 'Reading stopped when the app closed. Open the file again.',
    });
    await services.close();
  });
});

describe('upload file names', () => {
  it.each([
    ['accounts.csv', 'accounts.csv'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ana\\users.csv', 'users.csv'],
    ['a<b>:c|d?.csv', 'a_b__c_d_.csv'],
    ['..', 'upload'],
    ['', 'upload'],
  ])('%j is stored as %j', (name, safe) => expect(safeFileName(name)).toBe(safe));
});
