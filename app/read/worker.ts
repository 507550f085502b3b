/**
 * The reading worker (a `worker_threads` thread): reads one file into the database and reports progress, so
 * neither the UI nor main's event loop ever waits on parsing. Main starts one per load and may post `cancel`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../journal/database.ts';
import { readSpreadsheet } from './index.ts';
import { ReadError } from './errors.ts';
import { BlockWriter } from './row-store.ts';
import type { ReadWorkerInput, ReadWorkerMessage } from './types.ts';

const PROGRESS_INTERVAL_MS = 100;

const input = workerData as ReadWorkerInput;
const controller = new AbortController();
const post = (message: ReadWorkerMessage) => parentPort?.postMessage(message);
parentPort?.on('message', (message: { type?: string }) => {
  if (message.type === 'cancel') controller.abort();
});

const db = openDatabase(input.databaseFile);
const writer = new BlockWriter(db, input.fileId);
let lastProgress = 0;
try {
  const result = await readSpreadsheet(input.path, input.fileName, input.settings, writer, {
    signal: controller.signal,
    onProgress(bytesRead, rowsRead) {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      post({ type: 'progress', bytesRead, rowsRead });
    },
  });
  post({ type: 'done', result });
} catch (error) {
  writer.abort();
  if (error instanceof ReadError) post({ type: 'failed', code: error.code, message: error.message });
  else {
    post({
      type: 'failed',
      code: 'UNREADABLE',
      message: `“${input.fileName}” could not be read because of an error in the app.`,
      detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
} finally {
  db.close();
}
