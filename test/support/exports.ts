/** What Results exports, read back as the user would open it. */
import { readFileSync } from 'node:fs';
import type { SavedExport } from '../../app/contract.ts';
import type { Services } from '../../main/services/index.ts';
import { call } from './services.ts';

/** The failed rows of run `runId`, exported as Results' “failed rows” CSV, as its lines (header first). */
export async function exportedFailedRows(services: Services, runId: string): Promise<string[]> {
  const exported = await call<SavedExport>(services, 'exportRun', { runId, format: 'failed-csv' });
  return readFileSync(exported.path ?? '', 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
}
