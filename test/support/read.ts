import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSpreadsheet, type ReadResult, type ReadSettings, type StoredRow } from '../../app/read/index.ts';

/** Reads bytes as if they were a file called `name`, keeping every row in memory. */
export async function readBytes(
  dir: string,
  name: string,
  content: string | Uint8Array,
  settings: ReadSettings = {},
  options: { signal?: AbortSignal; onProgress?: (bytes: number, rows: number) => void; chunkBytes?: number } = {},
): Promise<{ result: ReadResult; rows: StoredRow[]; path: string }> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const rows: StoredRow[] = [];
  const result = await readSpreadsheet(
    path,
    name,
    settings,
    { write: (row) => rows.push(row), finish: () => undefined },
    {
      signal: options.signal ?? new AbortController().signal,
      onProgress: options.onProgress ?? (() => undefined),
      ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
    },
  );
  return { result, rows, path };
}

/** The rows as header → value records, the way csv-spectrum states its expectations. */
export function asRecords(result: ReadResult, rows: StoredRow[]): Record<string, string>[] {
  return rows.map(([, ...cells]) =>
    Object.fromEntries(result.columns.map((column, index) => [column.name, cells[index] ?? ''])),
  );
}
