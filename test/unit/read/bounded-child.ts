/**
 * A process that reads the files it is sent, one at a time, with the app's readers, and says how each read ended:
 * rows (counted; the first few kept), a ReadError, or anything else thrown. `bounded.ts` starts it with a heap cap
 * and a deadline, so a read that fills memory or never ends is caught instead of taking the test run with it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSpreadsheet, ReadError, type StoredRow } from '../../../app/read/index.ts';
import type { BoundedRequest, BoundedOutcome } from './bounded.ts';

const dir = process.argv[2] ?? '.';
let next = 0;

process.on('message', (request: BoundedRequest) => {
  void read(request).then((outcome) => process.send?.(outcome));
});
// The parent going away ends this process too.
process.on('disconnect', () => process.exit(0));

async function read(request: BoundedRequest): Promise<BoundedOutcome> {
  const path = join(dir, `${next++}-${request.name}`);
  writeFileSync(path, Buffer.from(request.bytes));
  const first: StoredRow[] = [];
  let rows = 0;
  const started = performance.now();
  try {
    await readSpreadsheet(
      path,
      request.name,
      {},
      {
        write: (row) => {
          if (rows++ < 5) first.push(row);
        },
        finish: () => undefined,
      },
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    return { kind: 'rows', rows, first, ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof ReadError) return { kind: 'refused', code: error.code, message: error.message, ms };
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { kind: 'crashed', error: text, ms };
  }
}
