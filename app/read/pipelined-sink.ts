import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads/threads.ts';
import { BlockBuilder } from './row-store.ts';
import type { RowSink, StoredRow, WriteWorkerInput, WriteWorkerMessage, WriteWorkerReply } from './types.ts';

/** Blocks sent to the writer and not yet stored, above which the reader waits (256 rows each: ~15 MB of JSON for rows of 1 KB). */
const MAX_OUTSTANDING = 64;

/** A write that failed in the writing worker, with the code the OS or SQLite gave it. */
class WriteFailure extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

/**
 * A row sink that builds blocks on this thread and stores them on another: parsing and writing overlap. The
 * reader waits in `drain()` when the writer falls behind, so memory stays bounded.
 */
export class PipelinedSink implements RowSink {
  readonly #writer: Worker;
  readonly #builder: BlockBuilder;
  readonly #ended: Promise<void>;
  #outstanding = 0;
  #failure: Error | null = null;
  #waiting: (() => void) | null = null;

  constructor(input: WriteWorkerInput) {
    this.#writer = startThread('write-worker', input);
    this.#builder = new BlockBuilder((index, { buffer, length }, rows) => {
      this.#outstanding++;
      const block: WriteWorkerMessage = { type: 'block', index, buffer, length, rows };
      this.#writer.postMessage(block, [buffer]);
    });
    this.#ended = new Promise((resolve) => {
      this.#writer.on('message', (reply: WriteWorkerReply) => {
        if (reply.type === 'stored') {
          this.#outstanding--;
          this.#builder.reuse(reply.buffer);
        } else if (reply.type === 'failed') this.#fail(new WriteFailure(reply.message, reply.code));
        if (reply.type !== 'stored') resolve();
        if (this.#outstanding < MAX_OUTSTANDING / 2 || this.#failure) this.#wake();
      });
      this.#writer.on('error', (error: Error) => {
        this.#fail(error);
        resolve();
      });
      this.#writer.on('exit', () => {
        if (this.#outstanding > 0) this.#fail(new Error('The writing thread stopped early.'));
        resolve();
      });
    });
  }

  write(row: StoredRow): void {
    if (this.#failure) throw this.#failure;
    this.#builder.write(row);
  }

  async drain(): Promise<void> {
    while (!this.#failure && this.#outstanding >= MAX_OUTSTANDING) {
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
    if (this.#failure) throw this.#failure;
  }

  finish(): void {
    this.#builder.finish();
    this.#writer.postMessage({ type: 'finish' });
  }

  /** Resolves once every block is stored; rejects with the writer's failure. */
  async done(): Promise<void> {
    await this.#ended;
    if (this.#failure) throw this.#failure;
  }

  /** Removes every block stored so far. */
  async abort(): Promise<void> {
    this.#writer.postMessage({ type: 'abort' });
    await this.#ended;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.();
  }
}
