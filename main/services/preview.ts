import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { BatchInfo, RowProblems } from '../../app/contract.ts';
import {
  Mapping,
  type MappingProblem,
  type PreviewRow,
  PreviewSummary,
  type PreviewState,
  type RowFilter,
  type TaskStarted,
} from '../../app/contract.ts';
import { CorrectionError, correctionsVersion, editCell, setExcluded } from '../../app/messages/corrections.ts';
import { batchAt } from '../../app/preview/check.ts';
import { fileRunTimestamp } from '../../app/messages/run-timestamp.ts';
import { readRowsAt } from '../../app/read/row-store.ts';
import type { ExportWorkerInput, ExportWorkerMessage } from '../../app/export/export-worker.ts';
import type { PreviewWorkerInput, PreviewWorkerMessage } from '../../app/preview/preview-worker.ts';
import type { Database } from '../../app/journal/database.ts';
import { checkFailed, previewOf, startCheck, type PreviewRecord } from '../../app/journal/previews.ts';
import { startThread } from '../../app/threads/threads.ts';
import { mappingGaps, mappingKey } from '../../app/map/mapping.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { ChecksAhead, newGeneration, type ChecksAheadOptions } from './check-ahead.ts';
import { batchesPage, gridRows, previewRows, problemsPage } from './preview-rows.ts';
import type { FilesService } from './files.ts';
import { integrityOf } from './mapping.ts';
import { FileMappingsStore } from './store/file-mappings.ts';

/** A check the user asked for: its task, and the worker input a check of it starts with. */
interface CheckTask {
  taskId: string;
  fileId: string;
  rowCount: number;
  title: string;
  createdAt: string;
  input: PreviewWorkerInput;
  finished: boolean;
}

/**
 * The Preview step's service: builds a file's preview in a worker (every row under its mapping, with the run's
 * timestamp fixed now), then serves its counts, its rows with problems, its batches and any batch's exact bytes.
 */
export class PreviewService {
  readonly #db: Database;
  readonly #databaseFile: string;
  readonly #files: FilesService;
  readonly #mappings: FileMappingsStore;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #workers = new Map<string, Worker>();
  readonly #ahead: ChecksAhead;
  /** Set by `close`: checks stopped then were stopped on purpose. */
  #closing = false;
  #lastRequest = 0;

  constructor(options: ChecksAheadOptions & { bus: EventBus }) {
    this.#db = options.db;
    this.#databaseFile = options.databaseFile;
    this.#files = options.files;
    this.#mappings = new FileMappingsStore(options.db);
    this.#bus = options.bus;
    this.#log = options.log;
    this.#ahead = new ChecksAhead(options);
  }

  start(fileId: string): TaskStarted {
    const { mapping, columns, rowCount, name } = this.#fileMapping(fileId);
    const gaps = mappingGaps(mapping);
    if (gaps.length > 0) throw new ServiceError('FAILED_PRECONDITION', gaps.join(' '));
    // What the mapping would silently drop or merge: the check (and so the send) waits until it is fixed in Map.
    const blocking = integrityOf(this.#files, fileId, mapping).filter((p) => p.severity === 'error');
    if (blocking.length > 0)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `Fix the mapping in Map first. ${blocking.map((p) => p.message).join(' ')}`,
      );
    this.#workers.get(fileId)?.postMessage({ type: 'cancel' });
    // The time the file was first checked, kept across re-checks and corrections (decision 6): an unchanged row
    // keeps its messageId, so a send after a correction leaves out what Vitally already accepted.
    const runTimestamp = fileRunTimestamp(this.#db, fileId);
    // Each request its own time: the check that ends makes itself the Preview only if it is still the last asked for.
    const createdAt = this.#requestTime();
    const editsVersion = correctionsVersion(this.#db, fileId);
    startCheck(this.#db, { fileId, createdAt, mapping, runTimestamp, editsVersion });
    const taskId = randomUUID();
    const input: PreviewWorkerInput = {
      databaseFile: this.#databaseFile,
      fileId,
      rowCount,
      columns,
      mapping,
      runTimestamp,
      generation: newGeneration(),
      requestedAt: createdAt,
    };
    const task = { taskId, fileId, rowCount, title: `Checking ${name}`, createdAt, input, finished: false };
    // A check made ahead, of exactly this, is taken over; otherwise one starts now.
    const ahead = this.#ahead.take(fileId, { mapping, columns, runTimestamp });
    if (ahead) {
      this.#log.info('preview taken from the check made while reading', { fileId, rowsDone: ahead.rowsDone });
      ahead.worker.postMessage({ type: 'adopt', mapping: mappingKey(mapping), requestedAt: createdAt });
      queueMicrotask(() => this.#progress(task, ahead.rowsDone));
    }
    this.#watch(task, ahead?.worker ?? startThread('preview-worker', input));
    return { taskId, fileId };
  }

  /** Now, as an ISO time, later than any asked for before (two requests in one millisecond stay apart). */
  #requestTime(): string {
    const now = Math.max(Date.now(), this.#lastRequest + 1);
    this.#lastRequest = now;
    return new Date(now).toISOString();
  }

  #progress(task: CheckTask, rowsDone: number): void {
    const { rowCount } = task;
    this.#bus.emit('progress', {
      taskId: task.taskId,
      value: rowCount > 0 ? rowsDone / rowCount : 1,
      title: task.title,
      description: `${rowsDone.toLocaleString('en-US')} of ${rowCount.toLocaleString('en-US')} rows checked`,
    });
  }

  /** Follows a check's worker to its end, which becomes the task's; a check ahead that refuses is replaced. */
  #watch(task: CheckTask, worker: Worker): void {
    const { fileId, createdAt } = task;
    this.#workers.set(fileId, worker);
    let replaced = false;
    const finish = (outcome: 'done' | 'failed' | 'cancelled', message: string | null) => {
      if (task.finished || replaced) return;
      task.finished = true;
      if (this.#workers.get(fileId) === worker) this.#workers.delete(fileId);
      this.#bus.emit('taskFinished', { taskId: task.taskId, fileId, outcome, message });
    };
    const failed = () => checkFailed(this.#db, fileId, createdAt);
    worker.on('message', (message: PreviewWorkerMessage) => {
      if (message.type === 'progress') this.#progress(task, message.rowsDone);
      else if (message.type === 'done') finish('done', null);
      else if (message.type === 'refused' || message.type === 'skipped') {
        // The check ahead was of another mapping after all, or had none it could check (adopted before it said
        // so): the check asked for starts now, under the same task.
        this.#log.info('the check made ahead was of another mapping', { fileId });
        // Unless another check of the file was asked for since: then this one is over.
        if (this.#workers.get(fileId) !== worker) return finish('cancelled', null);
        replaced = true;
        this.#watch(task, startThread('preview-worker', task.input));
      } else if (message.type === 'failed') {
        if (!message.cancelled) this.#log.error('preview failed', { fileId, message: message.message });
        failed();
        finish(
          message.cancelled ? 'cancelled' : 'failed',
          message.cancelled ? null : 'The preview could not be built. The details are in the log.',
        );
      }
      // `planned` is a check ahead's own step.
    });
    worker.on('error', (error) => {
      this.#log.error('preview worker crashed', { fileId, error });
      finish('failed', 'The preview could not be built. The details are in the log.');
    });
    worker.on('exit', (code) => {
      if (task.finished || replaced || this.#closing) return finish('cancelled', null);
      // Stopped without a word and without being asked to: a failure, never a quiet "cancelled".
      this.#log.error('preview worker stopped unexpectedly', { fileId, code });
      failed();
      finish('failed', 'The preview could not be built: the check stopped unexpectedly. The details are in the log.');
    });
  }

  get(fileId: string): PreviewState {
    const row = this.#row(fileId);
    const mappingProblems = this.#mappingProblems(fileId);
    if (!row) return { state: 'none', runTimestamp: null, summary: null, problem: null, mappingProblems };
    // A mapping error (a column gone after a re-read) makes even a finished check unfit to send.
    const blocked = mappingProblems.some((p) => p.severity === 'error');
    const stale =
      row.state === 'ready' &&
      (blocked ||
        this.#mappings.text(fileId) !== row.mappingText ||
        correctionsVersion(this.#db, fileId) !== row.editsVersion);
    const summary = row.state === 'ready' ? PreviewSummary.parse(row.summary) : null;
    return {
      state: stale ? 'stale' : (row.state as PreviewState['state']),
      runTimestamp: row.runTimestamp,
      summary,
      problem: row.state === 'failed' ? 'The preview could not be built.' : null,
      mappingProblems,
    };
  }

  /** The file's mapping's integrity problems as the file is read now; none while it is not read or not mapped. */
  #mappingProblems(fileId: string): MappingProblem[] {
    const file = this.#files.get(fileId);
    // While the file is being read again there is nothing to compare with yet.
    if (!file.result || file.state !== 'ready') return [];
    const mapping = this.#mappings.get(fileId);
    return mapping ? integrityOf(this.#files, fileId, mapping) : [];
  }

  problems(fileId: string, offset: number, limit: number): { rows: RowProblems[]; total: number } {
    return problemsPage(this.#db, fileId, { offset, limit });
  }

  /** A page of the rows a grid filter shows, each as the next run reads it, with its problems. */
  rows(
    fileId: string,
    filter: RowFilter,
    offset: number,
    limit: number,
    failedOf?: string,
  ): { rows: PreviewRow[]; total: number } {
    const file = this.#fileMapping(fileId);
    return gridRows(
      this.#db,
      { fileId, ...file, runTimestamp: this.#runTimestamp(fileId) },
      { filter, offset, limit, failedOf },
    );
  }

  /** Edits one cell for the next run, or takes the edit back; resolves to the row as it now reads. */
  editCell(fileId: string, rowNumber: number, column: number, value: string | null): PreviewRow {
    const file = this.#fileMapping(fileId);
    try {
      const { seq } = editCell(this.#db, fileId, rowNumber, column, value, file.columns.length);
      const at = { fileId, ...file, runTimestamp: this.#runTimestamp(fileId) };
      const [row] = previewRows(this.#db, at, readRowsAt(this.#db, fileId, [seq]));
      if (!row) throw new CorrectionError(`The file has no row ${rowNumber}.`);
      return row;
    } catch (error) {
      if (error instanceof CorrectionError) throw new ServiceError('NOT_FOUND', error.message);
      throw error;
    }
  }

  /** Leaves rows out of the next run, or takes them back in. */
  exclude(fileId: string, rowNumbers: number[], excluded: boolean): { changed: number } {
    this.#fileMapping(fileId);
    try {
      return { changed: setExcluded(this.#db, fileId, rowNumbers, excluded) };
    } catch (error) {
      if (error instanceof CorrectionError) throw new ServiceError('NOT_FOUND', error.message);
      throw error;
    }
  }

  batches(fileId: string, offset: number, limit: number): BatchInfo[] {
    return batchesPage(this.#db, fileId, { offset, limit });
  }

  batch(fileId: string, index: number): { body: string; rows: { rowNumber: number; type: string }[] } {
    const preview = this.#row(fileId);
    const [info] = this.batches(fileId, index, 1);
    if (!preview || preview.state !== 'ready' || !info)
      throw new ServiceError('NOT_FOUND', 'That batch is not in the preview.');
    const { columns, rowCount } = this.#fileMapping(fileId);
    const mapping = Mapping.parse(preview.mapping);
    const { body, messages } = batchAt(
      this.#db,
      fileId,
      rowCount,
      mapping,
      { columns, runTimestamp: preview.runTimestamp },
      info,
    );
    return { body, rows: messages.map((m) => ({ rowNumber: m.rowNumber, type: m.type })) };
  }

  /**
   * The name offered when saving a checked file's batches (“users batches.jsonl” for users.csv). Throws when its
   * rows are not all checked under the current mapping and corrections.
   */
  exportName(fileId: string): string {
    this.#exportable(fileId);
    const name = this.#files.get(fileId).name;
    return `${basename(name, extname(name)) || 'import'} batches.jsonl`;
  }

  /**
   * Writes every batch of a checked file, exactly as it will be sent, one per line (JSON Lines), in order. The
   * export worker builds the lines; this only writes them, as fast as `out` takes them.
   */
  async writeBatches(fileId: string, out: Writable): Promise<{ batches: number; bytes: number }> {
    const preview = this.#exportable(fileId);
    const { mapping, columns, rowCount } = this.#fileMapping(fileId);
    const input: ExportWorkerInput = {
      databaseFile: this.#databaseFile,
      fileId,
      rowCount,
      mapping,
      columns,
      runTimestamp: preview.runTimestamp,
      sizes: this.batches(fileId, 0, Number.MAX_SAFE_INTEGER).map((info) => info.messages),
    };
    const worker = startThread('export-worker', input);
    // Whoever stops reading (a download cancelled, a disk that fails) stops the worker too.
    const gone = new Promise<never>((_, reject) => {
      out.once('error', reject);
      out.once('close', () => reject(new Error('the output closed before the batches were written')));
    });
    gone.catch(() => undefined);
    let bytes = 0;
    try {
      return await new Promise<{ batches: number; bytes: number }>((resolve, reject) => {
        worker.on('message', (message: ExportWorkerMessage) => {
          if (message.type === 'lines') {
            bytes += Buffer.byteLength(message.text);
            const written = out.write(message.text)
              ? Promise.resolve()
              : Promise.race([once(out, 'drain').then(() => undefined), gone]);
            written.then(() => worker.postMessage('more'), reject);
          } else if (message.type === 'done') {
            resolve({ batches: message.batches, bytes });
          } else {
            reject(new Error(message.message));
          }
        });
        worker.once('error', reject);
        gone.catch(reject);
      });
    } finally {
      void worker.terminate();
    }
  }

  /** Saves every batch to `path` as JSON Lines; a partial file never stays behind. */
  async saveBatches(fileId: string, path: string): Promise<{ batches: number; bytes: number }> {
    const partial = `${path}.partial`;
    const out = createWriteStream(partial);
    try {
      const written = await this.writeBatches(fileId, out);
      out.end();
      await once(out, 'finish');
      await rename(partial, path);
      return written;
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      if (error instanceof ServiceError) throw error;
      this.#log.error('saving batches failed', { fileId, error });
      throw new ServiceError('UNAVAILABLE', `The batches could not be saved to ${path}. Choose another place.`);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#ahead.close();
    await Promise.all([...this.#workers.values()].map((worker) => worker.terminate()));
  }

  #exportable(fileId: string): PreviewState & { runTimestamp: string } {
    const preview = this.get(fileId);
    if (preview.state !== 'ready' || !preview.runTimestamp)
      throw new ServiceError('FAILED_PRECONDITION', 'Wait until every row is checked, then save the batches.');
    return { ...preview, runTimestamp: preview.runTimestamp };
  }

  #row(fileId: string): PreviewRecord | undefined {
    return previewOf(this.#db, fileId);
  }

  #runTimestamp(fileId: string): string {
    return this.#row(fileId)?.runTimestamp ?? new Date(0).toISOString();
  }

  #fileMapping(fileId: string): { mapping: Mapping; columns: string[]; rowCount: number; name: string } {
    const file = this.#files.get(fileId);
    if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
    const mapping = this.#mappings.get(fileId);
    if (!mapping)
      throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has no mapping yet. Map its columns first.`);
    return {
      mapping,
      columns: file.result.columns.map((c) => c.name),
      rowCount: file.result.rowCount,
      name: file.name,
    };
  }
}
