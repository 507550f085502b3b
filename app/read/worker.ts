/**
 * The reading worker (a `worker_threads` thread): reads one file and hands its rows, in blocks, to a writing
 * worker that stores them (see `pipelined-sink.ts`), reporting progress to main. Neither the UI nor main's event
 * loop ever waits on parsing or writing. Main starts one per load and may post `cancel`.
 */
import { thisThread } from '../threads/threads.ts';
import { explainIoError, ReadError } from './errors.ts';
import { readSpreadsheet } from './index.ts';
import { SAMPLE_ROWS } from './limits.ts';
import { PipelinedSink } from './pipelined-sink.ts';
import type { ReadWorkerInput, ReadWorkerMessage, RowSink, StoredRow } from './types.ts';

const PROGRESS_INTERVAL_MS = 100;

const thread = thisThread<ReadWorkerInput, ReadWorkerMessage>();
const { input, post } = thread;

const sink = new PipelinedSink({
  databaseFile: input.databaseFile,
  fileId: input.fileId,
  storedRows: input.storedRows,
});
const sampled = sampling(sink, (columns, rows) => post({ type: 'sample', columns, rows }));
let lastProgress = 0;
try {
  const result = await readSpreadsheet(input.path, input.fileName, input.settings, sampled, {
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

/** `sink`, which also hands on the columns and the first `SAMPLE_ROWS` data rows' cells once it has them. */
function sampling(sink: PipelinedSink, onSample: (columns: string[], rows: string[][]) => void): RowSink {
  let columns: string[] | null = null;
  let rows: string[][] | null = [];
  return {
    columns(names) {
      columns = names;
    },
    write(row: StoredRow) {
      sink.write(row);
      if (!rows || !columns) return;
      rows.push(row.slice(1) as string[]);
      if (rows.length < SAMPLE_ROWS) return;
      onSample(columns, rows);
      rows = null;
    },
    finish: () => sink.finish(),
    drain: () => sink.drain(),
  };
}
