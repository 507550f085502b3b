import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreviewRow, PreviewState } from '../../app/contract.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadMappedUsers, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

/** Users file of 250 rows: user 42 (row 43) has “many” seats; columns are Account ID, User ID, Seats. */
describe('corrections made in Preview: cells edited in place and rows left out', () => {
  let dir: string;
  let services: Services;
  let fileId: string;

  const check = async () => {
    const task = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    expect((await taskEnd(services, task.taskId)).outcome).toBe('done');
    return call<PreviewState>(services, 'getPreview', { fileId });
  };
  const rows = (filter: string, offset = 0, limit = 50) =>
    call<{ rows: PreviewRow[]; total: number }>(services, 'listPreviewRows', { fileId, filter, offset, limit });
  const allUsers = async () => {
    const summary = (await call<PreviewState>(services, 'getPreview', { fileId })).summary;
    const users: string[] = [];
    for (let batch = 0; batch < (summary?.batches ?? 0); batch++) {
      const { body } = await call<{ body: string }>(services, 'getBatch', { fileId, batch });
      for (const m of JSON.parse(body) as { type: string; userId?: string; traits: { seats?: number } }[]) {
        if (m.type === 'user') users.push(`${m.userId}:${m.traits.seats}`);
      }
    }
    return users;
  };

  beforeEach(async () => {
    dir = tempDir();
    services = desktopServices(dir);
    fileId = await loadMappedUsers(services, dir, { users: 250, accounts: 7, badSeats: 42 });
    await check();
  });

  afterEach(async () => {
    await services.close();
  });

  it('shows every row, or only those with errors, with each problem on its cell', async () => {
    const all = await rows('all', 40, 5);
    expect(all.total).toBe(250);
    expect(all.rows.map((r) => r.rowNumber)).toEqual([42, 43, 44, 45, 46]);
    const errors = await rows('errors');
    expect(errors.total).toBe(1);
    expect(errors.rows[0]).toMatchObject({
      rowNumber: 43,
      cells: ['A0', 'U42', 'many'],
      edited: {},
      excluded: false,
      problems: [{ column: 'Seats', severity: 'error', message: 'Row 43, column “Seats”: “many” is not a number.' }],
    });
  });

  it('sends an edited cell instead of the file’s value, leaves the file alone, and can take the edit back', async () => {
    const path = join(dir, 'users.csv');
    const before = readFileSync(path, 'utf8');
    const edited = await call<PreviewRow>(services, 'editCell', { fileId, rowNumber: 43, column: 2, value: '12' });
    expect(edited).toMatchObject({ rowNumber: 43, cells: ['A0', 'U42', '12'], edited: { '2': 'many' }, problems: [] });
    expect((await call<PreviewState>(services, 'getPreview', { fileId })).state).toBe('stale');
    const preview = await check();
    expect(preview.summary).toMatchObject({ sendableRows: 250, errorRows: 0, editedCells: 1, editedRows: 1 });
    expect(await allUsers()).toContain('U42:12');
    expect((await rows('edited')).rows.map((r) => r.rowNumber)).toEqual([43]);
    expect(readFileSync(path, 'utf8')).toBe(before);

    const reverted = await call<PreviewRow>(services, 'editCell', { fileId, rowNumber: 43, column: 2, value: null });
    expect(reverted).toMatchObject({ cells: ['A0', 'U42', 'many'], edited: {} });
    expect(reverted.problems).toHaveLength(1);
    expect((await check()).summary).toMatchObject({ errorRows: 1, editedCells: 0 });
  });

  it('leaves excluded rows out of the counts and the batches, and takes them back in', async () => {
    await call(services, 'setRowsExcluded', { fileId, rowNumbers: [10, 43], excluded: true });
    const preview = await check();
    expect(preview.summary).toMatchObject({ rows: 250, sendableRows: 248, errorRows: 0, excludedRows: 2 });
    const users = await allUsers();
    expect(users).toHaveLength(248);
    expect(users).not.toContain('U9:9');
    const excluded = await rows('excluded');
    expect(excluded.rows.map((r) => [r.rowNumber, r.excluded, r.problems.length])).toEqual([
      [10, true, 0],
      [43, true, 0],
    ]);
    await call(services, 'setRowsExcluded', { fileId, rowNumbers: [10], excluded: false });
    expect((await check()).summary).toMatchObject({ sendableRows: 249, excludedRows: 1 });
  });

  it('says plainly when a row or column is not in the file', async () => {
    const answer = await services.dispatch('editCell', { fileId, rowNumber: 999, column: 0, value: 'x' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'The file has no row 999.' } });
    const column = await services.dispatch('editCell', { fileId, rowNumber: 2, column: 3, value: 'x' });
    expect(column).toMatchObject({ ok: false, error: { message: 'The file has no column 4.' } });
  });

  it('forgets corrections when the file is read again, since its rows may have changed', async () => {
    await call(services, 'editCell', { fileId, rowNumber: 43, column: 2, value: '12' });
    await call(services, 'setRowsExcluded', { fileId, rowNumbers: [10], excluded: true });
    const task = await call<{ taskId: string }>(services, 'rereadFile', { fileId, settings: {} });
    await taskEnd(services, task.taskId);
    expect((await check()).summary).toMatchObject({ excludedRows: 0, editedCells: 0, errorRows: 1 });
  });

  it('keeps the last check readable, and corrections possible, while the file is checked again', async () => {
    const big = await loadMappedUsers(services, dir, { users: 40_000, accounts: 7, badSeats: 42 });
    const task = await call<{ taskId: string }>(services, 'startPreview', { fileId: big });
    await taskEnd(services, task.taskId);
    const errors = () =>
      call<{ total: number }>(services, 'listPreviewRows', { fileId: big, filter: 'errors', offset: 0, limit: 10 });
    expect((await errors()).total).toBe(1);

    await call(services, 'editCell', { fileId: big, rowNumber: 43, column: 2, value: '12' });
    const again = await call<{ taskId: string }>(services, 'startPreview', { fileId: big });
    const during = await new Promise<{ total: number; edited: PreviewRow }>((resolve, reject) => {
      const stop = services.bus.on('progress', (progress) => {
        if (progress.taskId !== again.taskId || progress.value === 0 || progress.value === 1) return;
        stop();
        // Halfway through, the last check's list is what shows, and another cell can be corrected at once.
        Promise.all([
          errors(),
          call<PreviewRow>(services, 'editCell', { fileId: big, rowNumber: 50, column: 2, value: '7' }),
        ])
          .then(([list, edited]) => resolve({ total: list.total, edited }))
          .catch(reject);
      });
    });
    expect(during.total).toBe(1);
    expect(during.edited.cells).toEqual(['A0', 'U49', '7']);
    await taskEnd(services, again.taskId);
    expect((await errors()).total).toBe(0);
  });
});
