import { afterEach, describe, expect, it } from 'vitest';
import type { BatchInfo, Mapping, PreviewSummary, RowProblems } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadCsv, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

/** Users with repeated accounts, a few unreadable seats; `wide` gives row `wide` a column more than the header. */
function usersCsv(rows: number, wide?: number): string {
  const lines = ['Account ID,Account Name,User ID,Email,Seats'];
  for (let i = 1; i <= rows; i++) {
    const extra = i === wide ? ',surprise' : '';
    lines.push(
      `A${i % 7},Company ${i % 13 === 0 ? 'X' : i % 7},U${i},u${i}@example.com,${i % 97 === 0 ? 'many' : i}${extra}`,
    );
  }
  return lines.join('\n');
}

async function seen(services: Services, fileId: string) {
  const preview = await call<{ state: string; summary: PreviewSummary | null }>(services, 'getPreview', { fileId });
  const problems = await call<{ rows: RowProblems[] }>(services, 'listProblems', { fileId, offset: 0, limit: 500 });
  const batches = await call<{ batches: BatchInfo[] }>(services, 'listBatches', { fileId, offset: 0, limit: 1000 });
  const bodies: string[] = [];
  for (let b = 0; b < batches.batches.length; b++)
    bodies.push((await call<{ body: string }>(services, 'getBatch', { fileId, batch: b })).body);
  return { state: preview.state, summary: preview.summary, problems: problems.rows, batches: batches.batches, bodies };
}

async function check(services: Services, fileId: string): Promise<void> {
  const { taskId } = await call<{ taskId: string }>(services, 'startPreview', { fileId });
  expect((await taskEnd(services, taskId)).outcome).toBe('done');
}

const CASES: [string, number, number | undefined][] = [
  ['one row', 1, undefined],
  ['199 rows (under the sample)', 199, undefined],
  ['200 rows', 200, undefined],
  ['201 rows', 201, undefined],
  ['a chunk exactly (2,560 rows)', 2560, undefined],
  ['a chunk and a row', 2561, undefined],
  ['two chunks exactly', 5120, undefined],
  ['a column more on row 3,000', 6000, 3000],
  ['a column more on the last row of a chunk', 5120, 2560],
];

describe.each(['after', 'follow'] as const)('the Preview taken from a check made ahead (%s the read)', (timing) => {
  let services: Services | undefined;
  afterEach(async () => {
    await services?.close();
    services = undefined;
  });

  it.each(CASES)(
    'is exactly a fresh check, batches and bodies included: %s',
    async (_name, rows, wide) => {
      const dir = tempDir();
      services = desktopServices(dir, { log: createMemoryLogger(), checkAhead: timing });
      const fileId = await loadCsv(services, dir, 'users.csv', usersCsv(rows, wide));
      const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
      await call(services, 'saveMapping', { fileId, mapping });
      await check(services, fileId);
      const ahead = await seen(services, fileId);
      await check(services, fileId);
      const fresh = await seen(services, fileId);
      expect(ahead.state).toBe('ready');
      expect(ahead).toEqual(fresh);
    },
    60_000,
  );
});
