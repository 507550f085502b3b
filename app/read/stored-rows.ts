/**
 * How far a read has stored its rows, shared between threads: the writing thread moves it after each commit, and a
 * check that follows the read (`app/preview/`) waits on it, so it builds only rows that are in the database.
 * Two Int32 slots in shared memory: the rows committed so far, and the read's state.
 */

/** The read's state: still storing, every row stored, or stopped (failed or cancelled: its rows are gone). */
export const STORING = 0;
export const STORED = 1;
export const STOPPED = -1;

const ROWS = 0;
const STATE = 1;

/** A new counter, to hand to the reading worker and to whoever follows the read. */
export function storedRowsCounter(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** The writing side. */
export class StoredRowsWriter {
  readonly #slots: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  committed(rows: number): void {
    Atomics.add(this.#slots, ROWS, rows);
    Atomics.notify(this.#slots, ROWS);
  }

  end(state: typeof STORED | typeof STOPPED): void {
    Atomics.store(this.#slots, STATE, state);
    Atomics.notify(this.#slots, ROWS);
  }
}

/**
 * The following side: waits (blocking its thread, which is never main's) until `rows` rows are stored or the
 * read has ended, and says how many are stored and whether the read is still going.
 */
export function waitForStoredRows(
  buffer: SharedArrayBuffer,
  rows: number,
  isCancelled: () => boolean = () => false,
): { stored: number; state: number } {
  const slots = new Int32Array(buffer);
  for (;;) {
    const stored = Atomics.load(slots, ROWS);
    const state = Atomics.load(slots, STATE);
    if (stored >= rows || state !== STORING || isCancelled()) return { stored, state };
    // Woken by each commit and by the end; the timeout only lets a cancellation be seen.
    Atomics.wait(slots, ROWS, stored, 250);
  }
}
