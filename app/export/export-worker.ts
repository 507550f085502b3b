/**
 * The export worker: writes a checked file's batches, exactly as they will be sent, one per line (JSON Lines),
 * off main's thread. It posts the lines a megabyte at a time and waits for main to ask for more, so a slow disk
 * or download holds it back instead of filling memory.
 */
import { batchBody } from '../batch/batcher.ts';
import { openDatabase } from '../journal/database.ts';
import type { Mapping } from '../map/mapping.ts';
import type { BuiltMessage } from '../messages/builder.ts';
import { builtRows } from '../preview/check.ts';
import { thisThread } from '../threads/threads.ts';

export interface ExportWorkerInput {
  databaseFile: string;
  fileId: string;
  rowCount: number;
  mapping: Mapping;
  columns: string[];
  runTimestamp: string;
  /** The number of messages in each batch, as the check found them. */
  sizes: number[];
}

export type ExportWorkerMessage =
  { type: 'lines'; text: string } | { type: 'done'; batches: number } | { type: 'failed'; message: string };

/** Lines are posted once this much text is ready. */
const CHUNK_CHARS = 1 << 20;

const thread = thisThread<ExportWorkerInput, ExportWorkerMessage>();
const { input, post } = thread;
/** Main asks for more once it has written what it was given. */
const more = () => thread.next();

const db = openDatabase(input.databaseFile, { durable: false });
try {
  const context = { columns: input.columns, runTimestamp: input.runTimestamp };
  let pending: BuiltMessage[] = [];
  let text = '';
  let batch = 0;
  const flush = () => {
    text += `${batchBody(pending)}\n`;
    pending = [];
    batch++;
  };
  for (const { messages, problems } of builtRows(db, input.fileId, input.rowCount, input.mapping, context)) {
    if (problems.some((p) => p.severity === 'error')) continue;
    for (const message of messages) {
      pending.push(message);
      if (pending.length === input.sizes[batch]) flush();
    }
    if (text.length >= CHUNK_CHARS) {
      post({ type: 'lines', text });
      text = '';
      await more();
    }
  }
  if (pending.length > 0) flush();
  if (text.length > 0) {
    post({ type: 'lines', text });
    await more();
  }
  post({ type: 'done', batches: batch });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
} finally {
  db.close();
  thread.close();
}
