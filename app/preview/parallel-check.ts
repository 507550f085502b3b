/**
 * The Preview's check of a large file on every core: helper threads (`check-worker.ts`) build the rows chunk by
 * chunk — chunk i by helper i mod n — and send back what the check needs of each row (its problems and, per
 * message, its type, entity, size and a hash of what it says). The preview worker takes the chunks back in file
 * order, so the check's result is the same as building every row on one thread, only sooner.
 *
 * The preview worker's loop is synchronous (it runs inside one database transaction), so it waits for a helper with
 * `Atomics.wait` on a shared counter each helper bumps after posting a chunk, and takes the chunk with
 * `receiveMessageOnPort`. Helpers stay at most `WINDOW` chunks ahead, so memory stays flat.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { MESSAGE_TYPES, type Mapping } from '../map/mapping.ts';
import type { Problem } from '../messages/problems.ts';
import type { BuildContext, BuiltMessage } from '../messages/builder.ts';
import { STOPPED, STORED, waitForStoredRows } from '../read/stored-rows.ts';
import { startThread } from '../threads/threads.ts';
import type { Database } from '../journal/database.ts';
import { builtRows, CHUNK_ROWS, type CheckRow } from './check.ts';

/** Rows per chunk, as `builtRows` reads them. */
export const CHECK_CHUNK_ROWS = CHUNK_ROWS;
/** Files with fewer rows are checked on the preview worker's own thread: starting helpers would cost more. */
export const PARALLEL_FROM_ROWS = 150_000;
/** Chunks a helper may have finished and not yet taken. */
const WINDOW = 2;

/**
 * A chunk of checked rows, packed to cross threads cheaply: `numbers` holds, per row, its place, its row number,
 * whether it is left out, the index of its problems in `problems` (-1: none) and its message count, then per
 * message its type (index in MESSAGE_TYPES), size, content hash and entity length (-1: no entity); the entities
 * themselves follow each other in `entities`.
 */
export interface CheckedChunk {
  from: number;
  numbers: Float64Array;
  entities: string;
  problems: Problem[][];
}

export interface CheckWorkerInput {
  databaseFile: string;
  fileId: string;
  /** The file's rows: all stored (`rowCount`), or stored as a read goes on (`storedRows`, see `RowExtent`). */
  extent: RowExtent;
  /** The first row (0-based place, a multiple of `CHECK_CHUNK_ROWS`) to check: the rows before are done. */
  from: number;
  mapping: Mapping;
  context: BuildContext;
  port: MessagePort;
  /** Int32 counters: [0, n) chunks posted by each helper; [n, 2n) chunks each helper may post. */
  counters: SharedArrayBuffer;
  index: number;
  helpers: number;
}

export type CheckWorkerMessage = CheckedChunk | { error: string };

/**
 * How many rows there are to check: a stored file's count, or — for a check that follows a read as it goes — the
 * read's shared counter (`app/read/stored-rows.ts`), so rows are built only once they are in the database.
 */
export type RowExtent = { rowCount: number } | { storedRows: SharedArrayBuffer };

/** The read a check followed stopped (failed, or cancelled) before storing every row: the check stops with it. */
export class ReadStopped extends Error {
  constructor() {
    super('the file’s read stopped before all its rows were stored');
  }
}

/** Waits until `target` rows are there to build, or there will be no more: how many there are, and whether that is all. */
export function rowsUpTo(
  extent: RowExtent,
  target: number,
  cancelled: () => boolean = () => false,
): { available: number; all: boolean } {
  if ('rowCount' in extent) return { available: extent.rowCount, all: true };
  const { stored, state } = waitForStoredRows(extent.storedRows, target, cancelled);
  if (state === STOPPED) throw new ReadStopped();
  if (stored < target && state !== STORED) throw new Error('cancelled');
  return { available: stored, all: state === STORED };
}

/** Rows still to check when a read ends from which a check that follows it takes helper threads for the rest. */
const HELPERS_FROM_ROWS = 50_000;

/**
 * Every row of a file being read, in order, for a check that follows the read: built on this thread chunk by
 * chunk as the read commits them — beside a read that keeps both cores busy, more threads would only take memory
 * and the read's time — then, once the read has ended and the cores are free, the rest on helper threads.
 */
export function* rowsFollowingRead(
  db: Database,
  options: {
    databaseFile: string;
    fileId: string;
    storedRows: SharedArrayBuffer;
    mapping: Mapping;
    context: BuildContext;
    niceness?: number;
    cancelled?: () => boolean;
    /** Rows left at the read's end from which helpers take the rest, and how many (tests set them). */
    helpersFrom?: number;
    helpers?: number;
  },
): Generator<CheckRow> {
  const { fileId, mapping, context, cancelled } = options;
  const extent = { storedRows: options.storedRows };
  for (let from = 0; ; from += CHECK_CHUNK_ROWS) {
    const { available, all } = rowsUpTo(extent, from + CHECK_CHUNK_ROWS, cancelled);
    if (!all) {
      yield* builtRows(db, fileId, from + CHECK_CHUNK_ROWS, mapping, context, { from, skipRepeats: false });
      continue;
    }
    if (available - from >= (options.helpersFrom ?? HELPERS_FROM_ROWS)) {
      yield* parallelCheckedRows({ ...options, extent: { rowCount: available }, from });
    } else yield* builtRows(db, fileId, available, mapping, context, { from, skipRepeats: false });
    return;
  }
}

/** How many helpers to start: one per core, at least two, at most four. */
export function helperCount(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

/**
 * Every row of the file, in order, checked by helper threads: the same rows `builtRows` gives (with `ids` false and
 * no repeats skipped), with messages that carry their size and `contentHash` but not their JSON.
 */
export function* parallelCheckedRows(options: {
  databaseFile: string;
  fileId: string;
  extent: RowExtent;
  mapping: Mapping;
  context: BuildContext;
  helpers?: number;
  /** How far the helpers give way to the main thread (`PRIORITY` in app/threads). */
  niceness?: number;
  /** Asked while waiting for a read's rows: a check that follows a read stops waiting when it is cancelled. */
  cancelled?: () => boolean;
  /** The first row to check (a multiple of `CHECK_CHUNK_ROWS`); 0 by default. */
  from?: number;
}): Generator<CheckRow> {
  const { extent } = options;
  const from = options.from ?? 0;
  const helpers = options.helpers ?? helperCount();
  const counters = new Int32Array(new SharedArrayBuffer(8 * helpers));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let h = 0; h < helpers; h++) {
    Atomics.store(counters, helpers + h, WINDOW);
    const { port1, port2 } = new MessageChannel();
    const input: CheckWorkerInput = {
      databaseFile: options.databaseFile,
      fileId: options.fileId,
      extent,
      from,
      mapping: options.mapping,
      context: { ...options.context, ids: false },
      port: port2,
      counters: counters.buffer,
      index: h,
      helpers,
    };
    // A helper holds a chunk or two at a time: small heaps keep the check's memory flat.
    workers.push(
      startThread('check-worker', input, {
        transferList: [port2],
        limits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 24 },
        niceness: options.niceness,
      }),
    );
    ports.push(port1);
  }
  try {
    for (let chunk = 0; ; chunk++) {
      // Chunk i is helper i mod n's; the last is the one that holds the last row.
      const start = from + chunk * CHECK_CHUNK_ROWS;
      const { available, all } = rowsUpTo(extent, start + 1, options.cancelled);
      if (all && available <= start) break;
      const h = chunk % helpers;
      const answer = take(ports[h] as MessagePort, counters, h);
      if ('error' in answer) throw new Error(`A checking thread failed: ${answer.error}`);
      // The helper may go on to its next chunk.
      Atomics.add(counters, helpers + h, 1);
      Atomics.notify(counters, helpers + h);
      yield* unpack(answer);
    }
  } finally {
    for (const port of ports) port.close();
    for (const worker of workers) void worker.terminate();
  }
}

/** Waits for a helper's next chunk. A helper that dies unannounced shows as a long silence, reported as one. */
function take(port: MessagePort, counters: Int32Array, h: number): CheckWorkerMessage {
  for (let waited = 0; ;) {
    const seen = Atomics.load(counters, h);
    const message = receiveMessageOnPort(port);
    if (message) return message.message as CheckWorkerMessage;
    if (Atomics.wait(counters, h, seen, 1000) === 'timed-out' && (waited += 1000) >= 120_000) {
      return { error: 'no answer for two minutes' };
    }
  }
}

/** Packs built rows for the trip to the preview worker; `hashOf` gives an entity message's content hash. */
export function pack(
  from: number,
  rows: Iterable<CheckRow>,
  hashOf: (message: BuiltMessage) => number,
): { chunk: CheckedChunk; transfer: ArrayBuffer[] } {
  let numbers = new Float64Array(CHECK_CHUNK_ROWS * 9);
  let at = 0;
  const room = (more: number) => {
    if (at + more <= numbers.length) return;
    const grown = new Float64Array(Math.max(numbers.length * 2, at + more));
    grown.set(numbers.subarray(0, at));
    numbers = grown;
  };
  const entities: string[] = [];
  const problems: Problem[][] = [];
  for (const { seq, row, excluded, problems: found, messages } of rows) {
    room(5 + messages.length * 4);
    numbers[at++] = seq;
    numbers[at++] = row[0];
    numbers[at++] = excluded ? 1 : 0;
    numbers[at++] = found.length > 0 ? problems.push(found) - 1 : -1;
    numbers[at++] = messages.length;
    for (const message of messages) {
      numbers[at++] = TYPE_INDEX[message.type];
      numbers[at++] = message.bytes;
      numbers[at++] = message.entity === null ? 0 : hashOf(message);
      numbers[at++] = message.entity === null ? -1 : message.entity.length;
      if (message.entity !== null) entities.push(message.entity);
    }
  }
  const packed = numbers.slice(0, at);
  return { chunk: { from, numbers: packed, entities: entities.join(''), problems }, transfer: [packed.buffer] };
}

/** Each message type's place in MESSAGE_TYPES, as packed. */
const TYPE_INDEX = Object.fromEntries(MESSAGE_TYPES.map((type, index) => [type, index])) as Record<
  BuiltMessage['type'],
  number
>;

/** The rows of a packed chunk, as the check reads them. */
function* unpack(chunk: CheckedChunk): Generator<CheckRow> {
  const { numbers, entities } = chunk;
  let at = 0;
  let text = 0;
  while (at < numbers.length) {
    const seq = numbers[at++] ?? 0;
    const rowNumber = numbers[at++] ?? 0;
    const excluded = numbers[at++] === 1;
    const problemsAt = numbers[at++] ?? -1;
    const count = numbers[at++] ?? 0;
    const messages: BuiltMessage[] = [];
    for (let m = 0; m < count; m++) {
      const type = MESSAGE_TYPES[numbers[at++] ?? 0] ?? 'user';
      const bytes = numbers[at++] ?? 0;
      const contentHash = numbers[at++] ?? 0;
      const length = numbers[at++] ?? -1;
      const entity = length < 0 ? null : entities.slice(text, (text += length));
      messages.push({ type, rowNumber, json: '', bytes, entity, messageId: '', content: '', contentHash });
    }
    yield {
      seq,
      row: [rowNumber],
      excluded,
      problems: problemsAt < 0 ? [] : (chunk.problems[problemsAt] ?? []),
      messages,
    };
  }
}
