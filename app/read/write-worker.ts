/**
 * The storing half of a read: a second worker thread that writes row blocks to the database while the reading
 * worker parses the next ones, so parsing and writing use both cores. Acknowledges blocks so the reader can
 * hold back when writing falls behind.
 */
import { openDatabase } from '../journal/database.ts';
import { thisThread } from '../threads/threads.ts';
import { BlockStore } from './row-store.ts';
import type { WriteWorkerInput, WriteWorkerMessage, WriteWorkerReply } from './types.ts';

const thread = thisThread<WriteWorkerInput, WriteWorkerReply, WriteWorkerMessage>();
const { input, post: reply } = thread;
const db = openDatabase(input.databaseFile);
let store: BlockStore | null = null;

thread.onMessage((message) => {
  try {
    switch (message.type) {
      case 'block':
        store ??= new BlockStore(db, input.fileId);
        store.insert(message.index, message.json);
        reply({ type: 'stored', index: message.index });
        return;
      case 'finish':
        (store ??= new BlockStore(db, input.fileId)).finish();
        reply({ type: 'finished' });
        break;
      case 'abort':
        (store ??= new BlockStore(db, input.fileId)).abort();
        reply({ type: 'finished' });
        break;
    }
  } catch (error) {
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
