import type { Worker } from 'node:worker_threads';
import { Mapping } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { mappingProblems } from '../../app/map/integrity.ts';
import { mappingGaps } from '../../app/map/mapping.ts';
import { suggestColumns, suggestMapping } from '../../app/map/suggest.ts';
import { correctionsVersion } from '../../app/messages/corrections.ts';
import { fileRunTimestamp } from '../../app/messages/run-timestamp.ts';
import type { PreviewWorkerInput, PreviewWorkerMessage } from '../../app/preview/preview-worker.ts';
import { PRIORITY, startThread } from '../../app/threads/threads.ts';
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

let checks = 0;

/** A new generation for a check's rows: always new, so the rows of a check cut short are never taken for another's. */
export function newGeneration(): number {
  return Date.now() * 1000 + (checks++ % 1000);
}

interface Running extends CheckAhead {
  key: string;
  /** The columns it was made for, as JSON. */
  columns: string;
  /** The file's corrections when its read ended (none, after a new read): any made since make the check old. */
  editsVersion: number | null;
}

/**
 * Checks a file while it is read, so the Preview is ready when the read ends (issue: a million rows end to end).
 * When a read has its first rows, the mapping the user is likely to keep — the file's saved one, or else the one
 * the Map step will suggest, made from the same first rows — is checked as the rows are stored, at a priority below
 * the read's. When the user then asks for a check of that same mapping, columns and default timestamp, with no
 * correction made since, the check ahead becomes it (`take`); any other check, a new read or a failed one, a change
 * of columns, or the app closing, stops it. Nothing it writes is seen until it is taken.
 */
export class ChecksAhead {
  readonly #db: Database;
  readonly #databaseFile: string;
  readonly #log: Logger;
  readonly #running = new Map<string, Running>();
  readonly #stop: () => void;

  constructor(options: { db: Database; databaseFile: string; files: FilesService; log: Logger }) {
    this.#db = options.db;
    this.#databaseFile = options.databaseFile;
    this.#log = options.log;
    this.#stop = options.files.onRead((event) => this.#onRead(event));
  }

  /** The check ahead of `fileId` if it is exactly the check `key` asks for; it is then the caller's to adopt. */
  take(fileId: string, key: CheckKey): CheckAhead | null {
    const running = this.#running.get(fileId);
    if (!running) return null;
    this.#running.delete(fileId);
    const same =
      running.key === keyOf(key) &&
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
    const workers = [...this.#running.values()].map((running) => running.worker);
    this.#running.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #onRead(event: ReadEvent): void {
    if (event.kind === 'sample') {
      // One check ahead at a time, of the file read last: one waiting to be used holds a thread and its memory.
      for (const fileId of [...this.#running.keys()]) this.cancel(fileId);
      try {
        this.#start(event.fileId, event.columns, event.rows, event.storedRows);
      } catch (error) {
        // Checking ahead only saves time: a failure to start it costs the user nothing but the wait.
        this.#log.error('checking ahead could not start', { fileId: event.fileId, error });
      }
      return;
    }
    const running = this.#running.get(event.fileId);
    if (!running) return;
    // The rows checked are the file's only if the read stored them all, under the columns the check was made for.
    if (event.outcome !== 'done' || JSON.stringify(event.columns) !== running.columns) {
      this.cancel(event.fileId);
      return;
    }
    running.editsVersion = correctionsVersion(this.#db, event.fileId);
  }

  #start(fileId: string, columns: string[], rows: string[][], storedRows: SharedArrayBuffer): void {
    const values = new Map(columns.map((column, index) => [column, rows.map((row) => row[index] ?? '')]));
    const mapping = this.#likelyMapping(fileId, columns, values);
    if (!mapping) return;
    const runTimestamp = fileRunTimestamp(this.#db, fileId);
    const generation = newGeneration();
    const input: PreviewWorkerInput = {
      databaseFile: this.#databaseFile,
      fileId,
      rowCount: 0,
      columns,
      mapping,
      runTimestamp,
      generation,
      storedRows,
    };
    const worker = startThread('preview-worker', input, { niceness: PRIORITY.ahead });
    const running: Running = {
      worker,
      generation,
      rowsDone: 0,
      key: keyOf({ mapping, columns, runTimestamp }),
      columns: JSON.stringify(columns),
      editsVersion: null,
    };
    this.#running.set(fileId, running);
    worker.on('message', (message: PreviewWorkerMessage) => {
      if (message.type === 'progress') running.rowsDone = message.rowsDone;
      else if (message.type === 'failed' && !message.cancelled) {
        this.#log.error('checking ahead failed', { fileId, message: message.message });
      }
      if (message.type === 'failed' && this.#running.get(fileId) === running) this.#running.delete(fileId);
    });
    worker.on('error', (error) => {
      this.#log.error('checking ahead stopped', { fileId, error });
      if (this.#running.get(fileId) === running) this.#running.delete(fileId);
    });
    worker.on('exit', () => {
      if (this.#running.get(fileId) === running) this.#running.delete(fileId);
    });
  }

  /** The file's saved mapping, or the one the Map step will suggest; null when it could not be checked as it is. */
  #likelyMapping(fileId: string, columns: string[], values: Map<string, string[]>): Mapping | null {
    const mapping =
      new FileMappingsStore(this.#db).get(fileId) ??
      Mapping.parse(suggestMapping(suggestColumns(columns, values), values));
    if (mappingGaps(mapping).length > 0) return null;
    if (mappingProblems(mapping, columns, values).some((problem) => problem.severity === 'error')) return null;
    return mapping;
  }
}

/** The one text two checks' keys are compared by: the mapping as the contract reads it, the columns, the time. */
function keyOf({ mapping, columns, runTimestamp }: CheckKey): string {
  return JSON.stringify({ mapping: Mapping.parse(mapping), columns, runTimestamp });
}
