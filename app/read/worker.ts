/**
 * The reading worker (a `worker_threads` thread): reads one file and hands its rows, in blocks, to a writing
 * worker that stores them (see `pipelined-sink.ts`), reporting progress to main. Neither the UI nor main's event
 * loop ever waits on parsing or writing. Main starts one per load and may post `cancel`.
 */
import { thisThread } from '../threads/threads.ts';
import { explainIoError, ReadError } from './errors.ts';
import { readSpreadsheet } from './index.ts';
import { PipelinedSink } from './pipelined-sink.ts';
import type { ReadWorkerInput, ReadWorkerMessage } from './types.ts';

const PROGRESS_INTERVAL_MS = 100;

const thread = thisThread<ReadWorkerInput, ReadWorkerMessage>();
const { input, post } = thread;

const sink = new PipelinedSink({ databaseFile: input.databaseFile, fileId: input.fileId });
let lastProgress = 0;
try {
  const result = await readSpreadsheet(input.path, input.fileName, input.settings, sink, {
    signal: thread.signal,
    onProgress(bytesRead, rowsRead) {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      post({ type: 'progress', bytesRead, rowsRead });
    },
  });
  await sink.done().catch((error: unknown) => {
    throw explainIoError(error, input.fileName);
  });
  post({ type: 'done', result });
} catch (error) {
  await sink.abort();
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
  // The message listener would keep this thread alive; closing the port lets it end.
  thread.close();
}
