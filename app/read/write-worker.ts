/**
 * The storing half of a read: a second worker thread that writes row blocks to the database while the reading
 * worker parses the next ones, so parsing and writing use both cores. Acknowledges blocks so the reader can
 * hold back when writing falls behind.
 */
import { openDatabase } from '../journal/database.ts';
import { thisThread } from '../threads/threads.ts';
import { BlockStore } from './row-store.ts';
import { STOPPED, STORED, StoredRowsWriter } from './stored-rows.ts';
import type { WriteWorkerInput, WriteWorkerMessage, WriteWorkerReply } from './types.ts';

const thread = thisThread<WriteWorkerInput, WriteWorkerReply, WriteWorkerMessage>();
const { input, post: reply } = thread;
// Rows can be read again: their commits need not wait for the disk. The file is marked read by main's own
// (durable) commit, whose sync of the shared log covers every block written before it.
const db = openDatabase(input.databaseFile, { durable: false });
const stored = input.storedRows ? new StoredRowsWriter(input.storedRows) : null;
let store: BlockStore | null = null;
const open = () => (store ??= new BlockStore(db, input.fileId, (rows) => stored?.committed(rows)));

thread.onMessage((message) => {
  try {
    switch (message.type) {
      case 'block':
        open().insert(message.index, new Uint8Array(message.buffer, 0, message.length), message.rows);
        reply({ type: 'stored', index: message.index, buffer: message.buffer }, [message.buffer]);
        return;
      case 'finish':
        open().finish();
        stored?.end(STORED);
        reply({ type: 'finished' });
        break;
      case 'abort':
        open().abort();
        stored?.end(STOPPED);
        reply({ type: 'finished' });
        break;
    }
  } catch (error) {
    stored?.end(STOPPED);
    try {
      store?.abort();
    } catch {
      // The database may be the thing that failed; the reader reports the first error.
    }
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error), code: codeOf(error) });
  }
  db.close();
  thread.close();
});

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
