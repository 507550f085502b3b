import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedExport } from '../../app/contract.ts';
import type { Services } from '../../main/services/index.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { mappingOf, userMessage } from '../support/mapping.ts';
import { call, desktopServices, loadCsv, runEnd, taskEnd, useEmulator } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

describe('failed rows exported and loaded again, from a file whose column name looks like a formula', () => {
  let emulator: Emulator;
  let services: Services;
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
    services = desktopServices(dir, { chooseSavePath: (name) => Promise.resolve(join(dir, name)) });
  });
  afterEach(async () => {
    await services.close();
    await emulator.close();
  });

  it('takes the import’s mapping: the neutralised header is the same column', async () => {
    emulator = await startEmulator({ token: 'formula-token-1234', refuse: { field: 'traits.total', value: ['7'] } });
    const fileId = await loadCsv(services, dir, 'users.csv', 'User ID,Account ID,=Total\r\nU1,A1,5\r\nU2,A1,7\r\n');
    const mapping = mappingOf(userMessage([{ column: '=Total', key: 'total', type: 'text' }]));
    await call(services, 'saveMapping', { fileId, mapping });
    const { taskId } = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    await taskEnd(services, taskId);
    await useEmulator(services, emulator);
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    expect(await runEnd(services, runId)).toMatchObject({ accepted: 1, rejected: 1 });

    const exported = await call<SavedExport>(services, 'exportRun', { runId, format: 'failed-csv' });
    const text = readFileSync(exported.path ?? '', 'utf8');
    // Safe to open in Excel: the header is neutralised like any cell.
    expect(text.split('\r\n')[0]).toContain("'=Total");
    const again = await loadCsv(services, dir, 'users – failed rows.csv', text.replace('7', '8'));
    const adopted = await call<{ mapped: boolean }>(services, 'adoptRerunFile', { runId, fileId: again });
    expect(adopted.mapped).toBe(true);
  }, 30_000);
});
