import { describe, expect, it } from 'vitest';
import type { Services } from '../../main/services/index.ts';
import { validateBatch } from '../support/validate-batch.ts';
import { call, desktopServices, loadCsv, loadMappedUsers, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

/** Services in a fresh data folder, with a file `users.csv` made of `text` read. */
const withUsersCsv = async (text: string) => {
  const dir = tempDir();
  const services = desktopServices(dir);
  return { services, fileId: await loadCsv(services, dir, 'users.csv', text) };
};

/** The words of every problem the checked file's rows have, in order. */
const problemMessages = async (services: Services, fileId: string) => {
  const problems = await call<{ rows: { problems: { message: string }[] }[] }>(services, 'listProblems', {
    fileId,
    offset: 0,
    limit: 10,
  });
  return problems.rows.flatMap((row) => row.problems.map((p) => p.message));
};

describe('the preview of a whole file', () => {
  it('counts rows and messages, lists rows with problems, and rebuilds any batch exactly', async () => {
    const dir = tempDir();
    const services = desktopServices(dir);
    const fileId = await loadMappedUsers(services, dir, { users: 250, accounts: 7, badSeats: 42 });
    const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });

    const task = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    expect((await taskEnd(services, task.taskId)).outcome).toBe('done');
    const preview = await call<{ state: string; summary: Record<string, unknown> }>(services, 'getPreview', { fileId });
    expect(preview.state).toBe('ready');
    expect(preview.summary).toMatchObject({
      rows: 250,
      sendableRows: 249,
      errorRows: 1,
      messages: 256,
      batches: 3,
      repeatsSkipped: 242,
      messagesByType: { account: 7, user: 249 },
    });

    const problems = await call<{ rows: { rowNumber: number; problems: { message: string }[] }[]; total: number }>(
      services,
      'listProblems',
      {
        fileId,
        offset: 0,
        limit: 10,
      },
    );
    expect(problems.total).toBe(1);
    expect(problems.rows[0]?.problems[0]?.message).toBe(
      'Row 43, column “Seats”: “many” is not a whole number.'.replace('whole number', 'number'),
    );

    const batches = await call<{ batches: { messages: number }[] }>(services, 'listBatches', {
      fileId,
      offset: 0,
      limit: 100,
    });
    expect(batches.batches.map((b) => b.messages)).toEqual([100, 100, 56]);
    const second = await call<{ body: string; rows: { rowNumber: number; type: string }[] }>(services, 'getBatch', {
      fileId,
      batch: 1,
    });
    const body = JSON.parse(second.body) as { type: string; userId?: string }[];
    expect(body.length).toBe(100);
    expect(validateBatch(body)).toEqual([]);
    // Batch 0: rows 2–8 each send their account (A1…A6, A0) and user (14 messages), then one user per row up to
    // row 95, without row 43, which has an error. Batch 1 starts at row 96; its accounts were sent already.
    expect(second.rows[0]).toEqual({ rowNumber: 96, type: 'user' });
    expect(body[0]).toMatchObject({ type: 'user', userId: 'U95' });
    expect(body.every((message) => message.type === 'user')).toBe(true);
    // The same batch asked for again is byte for byte the same.
    expect((await call<{ body: string }>(services, 'getBatch', { fileId, batch: 1 })).body).toBe(second.body);

    await call(services, 'saveMapping', { fileId, mapping: { ...(mapping as object), conflicts: 'first' } });
    expect((await call<{ state: string }>(services, 'getPreview', { fileId })).state).toBe('stale');
    await services.close();
  });

  it.each([
    [
      'flag',
      'Acme',
      [
        'Row 3: account A1 has other values than on row 2; the values of row 2 are sent.',
        'Row 4: account A1 has other values than on row 2; the values of row 2 are sent.',
      ],
    ],
    ['first', 'Acme', []],
    ['last', 'Acme Ltd', []],
  ])('sends an account repeated on several rows once, by the rule “%s”', async (rule, name, warnings) => {
    const { services, fileId } = await withUsersCsv(
      'Account ID,Account Name,User ID\nA1,Acme,U1\nA1,Acme Inc,U2\nA1,Acme Ltd,U3\n',
    );
    const { mapping } = await call<{ mapping: Record<string, unknown> }>(services, 'getMapping', { fileId });
    await call(services, 'saveMapping', { fileId, mapping: { ...mapping, conflicts: rule } });
    const task = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    await taskEnd(services, task.taskId);
    expect(await call(services, 'getPreview', { fileId })).toMatchObject({
      summary: { messages: 4, repeatsSkipped: 2, messagesByType: { account: 1, user: 3 } },
    });
    expect(await problemMessages(services, fileId)).toEqual(warnings);
    const batch = JSON.parse((await call<{ body: string }>(services, 'getBatch', { fileId, batch: 0 })).body) as {
      type: string;
      traits?: { name?: string };
    }[];
    expect(batch.filter((m) => m.type === 'account').map((m) => m.traits?.name)).toEqual([name]);
    await services.close();
  });

  it('does not flag an account repeated with the same values at another time', async () => {
    const { services, fileId } = await withUsersCsv(
      'Account ID,Account Name,User ID,Timestamp\nA1,Acme,U1,2026-01-01T10:00:00Z\nA1,Acme,U2,2026-01-02T10:00:00Z\n' +
        'A1,Acme Inc,U3,2026-01-03T10:00:00Z\n',
    );
    const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });
    await call(services, 'saveMapping', { fileId, mapping });
    await taskEnd(services, (await call<{ taskId: string }>(services, 'startPreview', { fileId })).taskId);
    expect(await problemMessages(services, fileId)).toEqual([
      'Row 4: account A1 has other values than on row 2; the values of row 2 are sent.',
    ]);
    await services.close();
  });
});
