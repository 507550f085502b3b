/**
 * A helper of the Preview's check (see `parallel-check.ts`): builds its chunks of rows in order and posts what the
 * check needs of each, waiting whenever it is `WINDOW` chunks ahead of the preview worker.
 */
import { openDatabase } from '../journal/database.ts';
import { thisThread } from '../threads/threads.ts';
import { CHECK_CHUNK_ROWS, pack, rowsUpTo, type CheckWorkerInput, type CheckWorkerMessage } from './parallel-check.ts';
import type { BuiltMessage } from '../messages/builder.ts';
import { builtRows, hashContent } from './check.ts';

const { input } = thisThread<CheckWorkerInput, never>();
const counters = new Int32Array(input.counters);
const post = (message: CheckWorkerMessage, transfer: ArrayBuffer[] = []) => {
  input.port.postMessage(message, transfer);
  Atomics.add(counters, input.index, 1);
  Atomics.notify(counters, input.index);
};

// What an entity's message says matters only to the rule that warns when a repeat says something else.
const hashOf = input.mapping.conflicts === 'flag' ? (message: BuiltMessage) => hashContent(message.content) : () => 0;

const db = openDatabase(input.databaseFile, { durable: false });
try {
  // This helper's chunks: every `helpers`-th, from its own index on, until the file's rows end.
  for (let n = 0; ; n++) {
    const from = input.from + (n * input.helpers + input.index) * CHECK_CHUNK_ROWS;
    // Wait until the preview worker has taken enough of this helper's chunks.
    for (let allowed = Atomics.load(counters, input.helpers + input.index); n >= allowed;) {
      Atomics.wait(counters, input.helpers + input.index, allowed);
      allowed = Atomics.load(counters, input.helpers + input.index);
    }
    const { available, all } = rowsUpTo(input.extent, from + CHECK_CHUNK_ROWS);
    if (available <= from) {
      if (all) break;
      continue;
    }
    const to = Math.min(from + CHECK_CHUNK_ROWS, available);
    const rows = builtRows(db, input.fileId, to, input.mapping, input.context, { from, skipRepeats: false });
    const { chunk, transfer } = pack(from, rows, hashOf);
    post(chunk, transfer);
  }
} catch (error) {
  post({ error: error instanceof Error ? error.message : String(error) });
} finally {
  db.close();
}
