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
  // The read's cost is measured in this process's CPU time, not wall time: on a busy machine the two differ, and
  // a read that needs 2 s of CPU is too slow however idle the machine; the parent's deadline catches a hang.
  const started = process.cpuUsage();
  const elapsed = () => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
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
    return { kind: 'rows', rows, first, ms: elapsed() };
  } catch (error) {
    const ms = elapsed();
    if (error instanceof ReadError) return { kind: 'refused', code: error.code, message: error.message, ms };
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { kind: 'crashed', error: text, ms };
  }
}
