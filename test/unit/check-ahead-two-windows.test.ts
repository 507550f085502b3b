import { afterEach, describe, expect, it } from 'vitest';
import type { BatchInfo, Mapping, PreviewSummary, TaskFinished } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadCsv, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

function usersCsv(rows: number): string {
  const lines = ['Account ID,Account Name,User ID,Email,Seats'];
  for (let i = 1; i <= rows; i++)
    lines.push(
      `A${i % 40},Company ${i % 333 === 0 ? 'X' : i % 40},U${i},u${i}@example.com,${i % 97 === 0 ? 'many' : i}`,
    );
  return lines.join('\n');
}

async function seen(services: Services, fileId: string) {
  const preview = await call<{ state: string; summary: PreviewSummary | null }>(services, 'getPreview', { fileId });
  const batches = await call<{ batches: BatchInfo[] }>(services, 'listBatches', { fileId, offset: 0, limit: 1000 });
  const bodies: string[] = [];
  for (let b = 0; b < batches.batches.length; b++)
    bodies.push((await call<{ body: string }>(services, 'getBatch', { fileId, batch: b })).body);
  return { state: preview.state, summary: preview.summary, batches: batches.batches, bodies };
}

describe.each(['after', 'follow'] as const)('two windows checking the same file at once (%s the read)', (timing) => {
  let services: Services | undefined;
  afterEach(async () => {
    await services?.close();
    services = undefined;
  });

  it.each([1, 2])(
    'two checks asked for in the same moment (%i): the second is the Preview, whole',
    async () => {
      const dir = tempDir();
      services = desktopServices(dir, { log: createMemoryLogger(), checkAhead: timing });
      const s = services;
      const fileId = await loadCsv(s, dir, 'users.csv', usersCsv(3_000));
      const { mapping } = await call<{ mapping: Mapping }>(s, 'getMapping', { fileId });
      await call(s, 'saveMapping', { fileId, mapping });
      // The check ahead is done and waits to be adopted: the first check adopts it, the second replaces it at once.
      const [first, second] = await Promise.all([
        call<{ taskId: string }>(s, 'startPreview', { fileId }),
        call<{ taskId: string }>(s, 'startPreview', { fileId }),
      ]);
      await Promise.all([taskEnd(s, first.taskId), taskEnd(s, second.taskId)]);
      const shown = await seen(s, fileId);
      const again = await call<{ taskId: string }>(s, 'startPreview', { fileId });
      expect((await taskEnd(s, again.taskId)).outcome).toBe('done');
      expect(shown).toEqual(await seen(s, fileId));
    },
    120_000,
  );

  it.each([false, true])(
    'the last check asked for is the Preview, exactly as a fresh one (the second window changed the mapping: %s)',
    async (changed) => {
      const dir = tempDir();
      services = desktopServices(dir, { log: createMemoryLogger(), checkAhead: timing });
      const s = services;
      const fileId = await loadCsv(s, dir, 'users.csv', usersCsv(20_000));
      const { mapping } = await call<{ mapping: Mapping }>(s, 'getMapping', { fileId });
      await call(s, 'saveMapping', { fileId, mapping });
      const ends: Promise<TaskFinished>[] = [];
      const first = await call<{ taskId: string }>(s, 'startPreview', { fileId });
      ends.push(taskEnd(s, first.taskId));
      if (changed) await call(s, 'saveMapping', { fileId, mapping: { ...mapping, conflicts: 'last' } });
      const second = await call<{ taskId: string }>(s, 'startPreview', { fileId });
      ends.push(taskEnd(s, second.taskId));
      const [one, two] = await Promise.all(ends);
      expect(two?.outcome).toBe('done');
      expect(['done', 'cancelled']).toContain(one?.outcome);
      const shown = await seen(s, fileId);
      const again = await call<{ taskId: string }>(s, 'startPreview', { fileId });
      expect((await taskEnd(s, again.taskId)).outcome).toBe('done');
      expect(shown).toEqual(await seen(s, fileId));
    },
    120_000,
  );
});
