import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBatch } from '../../app/validate/validate.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices } from '../../main/services/index.ts';
import { call, loadMappedUsers, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

describe('the preview of a whole file', () => {
  it('counts rows and messages, lists rows with problems, and rebuilds any batch exactly', async () => {
    const dir = tempDir();
    const services = createServices({
      host: 'electron',
      paths: pathsIn(join(dir, 'data')),
      log: createMemoryLogger(),
      keychain: null,
    });
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
      messages: 498,
      batches: 5,
      messagesByType: { account: 249, user: 249 },
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
    expect(batches.batches.map((b) => b.messages)).toEqual([100, 100, 100, 100, 98]);
    const second = await call<{ body: string; rows: { rowNumber: number; type: string }[] }>(services, 'getBatch', {
      fileId,
      batch: 1,
    });
    const body = JSON.parse(second.body) as { type: string; userId?: string }[];
    expect(body.length).toBe(100);
    expect(validateBatch(body)).toEqual([]);
    // Batch 0 holds rows 2–52 without row 43, which has an error; batch 1 starts at row 53.
    expect(second.rows[0]).toEqual({ rowNumber: 53, type: 'account' });
    expect(body[1]).toMatchObject({ type: 'user', userId: 'U52' });
    // The same batch asked for again is byte for byte the same.
    expect((await call<{ body: string }>(services, 'getBatch', { fileId, batch: 1 })).body).toBe(second.body);

    await call(services, 'saveMapping', { fileId, mapping: { ...(mapping as object), conflicts: 'first' } });
    expect((await call<{ state: string }>(services, 'getPreview', { fileId })).state).toBe('stale');
    await services.close();
  });
});
