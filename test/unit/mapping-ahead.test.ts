import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadSettings } from '../../app/read/index.ts';
import { SAMPLE_ROWS } from '../../app/read/limits.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { call, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Map's suggestion is worked out on a thread of its own while a file is read, so the window's thread does not work
 * it out when Map opens. What Map shows must be exactly what it would have worked out itself, whatever happened to
 * the file between: read again with other settings, grown columns, fewer rows than a sample.
 */
const open: Services[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((services) => services.close()));
});

function start(dataDir: string): Services {
  const services = createServices({ host: 'electron', paths: pathsIn(dataDir), log: createMemoryLogger() });
  open.push(services);
  return services;
}

function csv(rows: number, extra: (row: number) => string = () => ''): string {
  const lines = ['Exported by Acme,', 'Account ID,Account name,Email,Seats,Created'];
  for (let i = 0; i < rows; i++) {
    lines.push(`A-${i},Company ${i},p${i}@example.com,${i % 40},2026-0${(i % 9) + 1}-1${i % 10}${extra(i)}`);
  }
  return lines.join('\n') + '\n';
}

/** Loads (or reads again) and waits for the read to end, then for the suggestion worked out ahead. */
async function read(services: Services, path: string, settings?: ReadSettings, fileId?: string) {
  const task = fileId
    ? { fileId, ...(await call<{ taskId: string }>(services, 'rereadFile', { fileId, settings })) }
    : await call<{ taskId: string; fileId: string }>(services, 'loadFile', { source: { kind: 'path', path } });
  const end = await taskEnd(services, task.taskId);
  expect(end.outcome).toBe('done');
  const id = task.fileId;
  return { fileId: id, ahead: await services.mappings.suggestedAhead(id) };
}

/** What Map shows for the file, as a fresh start of the app (with no suggestion worked out ahead) shows it. */
async function asWorkedOutNow(dataDir: string, fileId: string) {
  const services = start(dataDir);
  expect(await services.mappings.suggestedAhead(fileId)).toBe(false);
  return call(services, 'getMapping', { fileId });
}

describe('Map’s suggestion, worked out while the file is read', () => {
  it(
    'is what Map would work out itself, for a file as read, read again with another header row, and grown',
    {
      timeout: 60_000,
    },
    async () => {
      const dir = tempDir();
      const dataDir = join(dir, 'data');
      const path = join(dir, 'accounts.csv');
      writeFileSync(path, csv(300));
      const services = start(dataDir);
      const first = await read(services, path);
      expect(first.ahead).toBe(true);
      const shown = await call(services, 'getMapping', { fileId: first.fileId });
      expect(shown).toEqual(await asWorkedOutNow(dataDir, first.fileId));
      expect(JSON.stringify(shown)).toContain('accountId');

      // Read again with the first line as the header: other columns, other values.
      const again = await read(services, path, { headerRow: 1 }, first.fileId);
      expect(again.ahead).toBe(true);
      expect(await call(services, 'getMapping', { fileId: first.fileId })).toEqual(
        await asWorkedOutNow(dataDir, first.fileId),
      );

      // Rows far down with a cell more: the file has a column its first rows did not have.
      writeFileSync(
        path,
        csv(300, (row) => (row > 250 ? ',extra' : '')),
      );
      await read(services, path, { headerRow: 2 }, first.fileId);
      expect(await call(services, 'getMapping', { fileId: first.fileId })).toEqual(
        await asWorkedOutNow(dataDir, first.fileId),
      );
    },
  );

  it('is not used for a file read again with fewer rows than a sample', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const path = join(dir, 'accounts.csv');
    writeFileSync(path, csv(300));
    const services = start(dataDir);
    const { fileId } = await read(services, path);
    writeFileSync(path, 'Seats,Plan\n1,Basic\n2,Pro\n');
    const again = await read(services, path, { headerRow: 1 }, fileId);
    expect(again.ahead).toBe(false);
    const shown = await call(services, 'getMapping', { fileId });
    expect(shown).toEqual(await asWorkedOutNow(dataDir, fileId));
    expect(JSON.stringify(shown)).toContain('Plan');
  });

  it(
    'is kept for the last few files read only, and Map still answers for the others',
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      const dataDir = join(dir, 'data');
      const services = start(dataDir);
      const ids: string[] = [];
      for (let n = 0; n < 6; n++) {
        const path = join(dir, `accounts-${n}.csv`);
        writeFileSync(path, csv(SAMPLE_ROWS + 20));
        ids.push((await read(services, path)).fileId);
      }
      expect(await Promise.all(ids.map((id) => services.mappings.suggestedAhead(id)))).toEqual([
        false,
        false,
        true,
        true,
        true,
        true,
      ]);
      expect(await call(services, 'getMapping', { fileId: ids[0] })).toEqual(
        await asWorkedOutNow(dataDir, ids[0] ?? ''),
      );
    },
  );
});
