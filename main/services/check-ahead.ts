import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Mapping } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { mappingKey } from '../../app/map/mapping.ts';
import { correctionsVersion } from '../../app/messages/corrections.ts';
import { fileRunTimestamp } from '../../app/messages/run-timestamp.ts';
import type { PreviewWorkerInput, PreviewWorkerMessage } from '../../app/preview/preview-worker.ts';
import { startThread } from '../../app/threads/threads.ts';
import type { Logger } from '../log.ts';
import type { FilesService, ReadEvent } from './files.ts';
import { FileMappingsStore } from './store/file-mappings.ts';

/** What a check is of: it can stand for a check asked for later only if all of these are the same. */
export interface CheckKey {
  mapping: Mapping;
  columns: string[];
  runTimestamp: string;
}

/** A check made ahead, handed to the Preview: its worker (checking still, or waiting to be adopted) and its rows' generation. */
export interface CheckAhead {
  worker: Worker;
  generation: number;
  /** Rows checked so far, for the progress shown once it is adopted. */
  rowsDone: number;
}

/**
 * When a check ahead starts: as the read goes, following its rows (`follow`), or the moment it ends (`after`). A read
 * keeps two cores busy by itself, so beside it a check would only slow it and hold memory; with cores to spare it
 * follows. Chosen by the cores when not given (tests give it).
 */
export type CheckAheadTiming = 'follow' | 'after';

/** Cores from which a check ahead follows the read. */
const FOLLOW_FROM_CORES = 4;

let checks = 0;

/** A new generation for a check's rows: always new, so the rows of a check cut short are never taken for another's. */
export function newGeneration(): number {
  return Date.now() * 1000 + (checks++ % 1000);
}

/** What checking ahead needs: the database, the reads to follow, the log, and when to start (`CheckAheadTiming`). */
export interface ChecksAheadOptions {
  db: Database;
  databaseFile: string;
  files: FilesService;
  log: Logger;
  checkAhead?: CheckAheadTiming | undefined;
}

interface Running extends CheckAhead {
  /** The mapping it checks (`mappingKey`): known once the worker has worked out the likely one. */
  mapping: string | null;
  /** The columns and default timestamp it was made for. */
  columns: string[];
  runTimestamp: string;
  /** The file's corrections when its read ended (none, after a new read): any made since make the check old. */
  editsVersion: number | null;
}

/**
 * Checks a file ahead of the Preview, so the Preview is ready when the user gets there. A read's first rows give the
 * mapping the user is likely to keep — the file's saved one, or else the one the Map step will suggest, made from
 * the same first rows (worked out on the worker) — which is checked when the read ends, or, with cores to spare, as
 * its rows are stored (`CheckAheadTiming`). When the user then asks for a check of that same mapping, columns and
 * default timestamp, with no correction made since, the check ahead becomes it (`take`); any other check, a new
 * read or a failed one, a change of columns, or the app closing, stops it. Nothing it writes is seen until taken.
 */
export class ChecksAhead {
  readonly #db: Database;
  readonly #databaseFile: string;
  readonly #log: Logger;
  readonly #running = new Map<string, Running>();
  /** Reads' samples kept until the read ends, when the check ahead starts then (`after`). */
  readonly #samples = new Map<string, { columns: string[]; rows: string[][] }>();
  readonly #timing: CheckAheadTiming;
  readonly #stop: () => void;

  constructor(options: ChecksAheadOptions) {
    this.#db = options.db;
    this.#databaseFile = options.databaseFile;
    this.#log = options.log;
    this.#timing = options.checkAhead ?? (availableParallelism() >= FOLLOW_FROM_CORES ? 'follow' : 'after');
    this.#stop = options.files.onRead((event) => this.#onRead(event));
  }

  /** The check ahead of `fileId` if it is exactly the check `key` asks for; it is then the caller's to adopt. */
  take(fileId: string, key: CheckKey): CheckAhead | null {
    const running = this.#running.get(fileId);
    if (!running) return null;
    this.#running.delete(fileId);
    // Its mapping may not be known yet (the worker works it out): the worker is then told the one asked for, and
    // refuses when it is another.
    const same =
      (running.mapping === null || running.mapping === mappingKey(key.mapping)) &&
      JSON.stringify(running.columns) === JSON.stringify(key.columns) &&
      running.runTimestamp === key.runTimestamp &&
      running.editsVersion !== null &&
      running.editsVersion === correctionsVersion(this.#db, fileId);
    if (same) return running;
    running.worker.postMessage({ type: 'cancel' });
    return null;
  }

  /** Stops the check ahead of `fileId`, if there is one. */
  cancel(fileId: string): void {
    this.#running.get(fileId)?.worker.postMessage({ type: 'cancel' });
    this.#running.delete(fileId);
  }

  async close(): Promise<void> {
    this.#stop();
    this.#samples.clear();
    const workers = [...this.#running.values()].map((running) => running.worker);
    this.#running.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #onRead(event: ReadEvent): void {
    const { fileId } = event;
    if (event.kind === 'sample') {
      // One check ahead at a time, of the file read last: one waiting to be used holds a thread and its memory.
      for (const other of [...this.#running.keys()]) this.cancel(other);
      this.#samples.clear();
      if (this.#timing === 'after') this.#samples.set(fileId, { columns: event.columns, rows: event.rows });
      else this.#start(fileId, event.columns, event.rows, { storedRows: event.storedRows });
      return;
    }
    const sample = this.#samples.get(fileId);
    this.#samples.delete(fileId);
    // The rows checked are the file's only if the read stored them all, under the columns the check is made for.
    const same = (columns: string[]) =>
      event.outcome === 'done' && JSON.stringify(event.columns) === JSON.stringify(columns);
    if (sample) {
      if (same(sample.columns)) this.#start(fileId, sample.columns, sample.rows, { rowCount: event.rowCount });
      return;
    }
    const running = this.#running.get(fileId);
    if (!running) return;
    if (!same(running.columns)) this.cancel(fileId);
    else running.editsVersion = correctionsVersion(this.#db, fileId);
  }

  #start(
    fileId: string,
    columns: string[],
    sample: string[][],
    extent: { storedRows: SharedArrayBuffer } | { rowCount: number },
  ): void {
    try {
      const runTimestamp = fileRunTimestamp(this.#db, fileId);
      const generation = newGeneration();
      const input: PreviewWorkerInput = {
        databaseFile: this.#databaseFile,
        fileId,
        rowCount: 'rowCount' in extent ? extent.rowCount : 0,
        columns,
        mapping: null,
        runTimestamp,
        generation,
        ahead: { saved: new FileMappingsStore(this.#db).get(fileId), sample },
        storedRows: 'storedRows' in extent ? extent.storedRows : undefined,
      };
      const worker = startThread('preview-worker', input);
      const running: Running = {
        worker,
        generation,
        rowsDone: 0,
        mapping: null,
        columns,
        runTimestamp,
        // After the read, the file's corrections are as the read left them; while it goes, they are once it ends.
        editsVersion: 'rowCount' in extent ? correctionsVersion(this.#db, fileId) : null,
      };
      this.#running.set(fileId, running);
      this.#watch(fileId, running);
    } catch (error) {
      // Checking ahead only saves time: a failure to start it costs the user nothing but the wait.
      this.#log.error('checking ahead could not start', { fileId, error });
    }
  }

  #watch(fileId: string, running: Running): void {
    const { worker } = running;
    const forget = () => {
      if (this.#running.get(fileId) === running) this.#running.delete(fileId);
    };
    worker.on('message', (message: PreviewWorkerMessage) => {
      if (message.type === 'planned') running.mapping = mappingKey(message.mapping);
      else if (message.type === 'progress') running.rowsDone = message.rowsDone;
      else if (message.type === 'refused' || message.type === 'skipped') forget();
      else if (message.type === 'failed') {
        if (!message.cancelled) this.#log.error('checking ahead failed', { fileId, message: message.message });
        forget();
      }
    });
    worker.on('error', (error) => {
      this.#log.error('checking ahead stopped', { fileId, error });
      forget();
    });
    worker.on('exit', forget);
  }
}
