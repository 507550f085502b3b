import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Worker } from 'node:worker_threads';
import {
  FileSummary,
  ReadResult,
  ReadSettings,
  type FileSource,
  type HostKind,
  type Row,
  type TaskStarted,
} from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { checkStale } from '../../app/journal/previews.ts';
import { storedRowsCounter } from '../../app/read/stored-rows.ts';
import { startThread } from '../../app/threads/threads.ts';
import { readRowPage, type ReadWorkerInput, type ReadWorkerMessage } from '../../app/read/index.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { FilesStore, type StoredFile } from './store/files.ts';

/** How old an upload no file refers to must be before `pruneUploads` deletes it. */
const UPLOAD_GRACE_MS = 60 * 60_000;

/** Room the database needs for a file's rows, as a multiple of the file's size, before reading starts. */
const SPACE_FACTOR = 1.5;

interface Task {
  worker: Worker;
  fileId: string;
  cancelled: boolean;
}

/**
 * What a read tells the services that follow it: its sample (columns and first rows, with the counter of the rows
 * it has stored so far), then its end — and, when it ended well, the columns as the file is now read.
 */
export type ReadEvent =
  | { kind: 'sample'; fileId: string; columns: string[]; rows: string[][]; storedRows: SharedArrayBuffer }
  | {
      kind: 'end';
      fileId: string;
      outcome: 'done' | 'failed' | 'cancelled';
      columns: string[] | null;
      rowCount: number;
    };

/**
 * Spreadsheets: uploads, reading in a worker with progress and cancel, summaries and pages of rows. Each load
 * is a task; its progress and end are pushed as events, so a million-row file never holds up a call.
 */
export class FilesService {
  readonly #db: Database;
  readonly #files: FilesStore;
  readonly #databaseFile: string;
  readonly #uploadsDir: string;
  /** Set by `close`: readers stopped then were stopped on purpose. */
  #closing = false;
  readonly #host: HostKind;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #tasks = new Map<string, Task>();
  readonly #readListeners = new Set<(event: ReadEvent) => void>();

  constructor(options: {
    db: Database;
    databaseFile: string;
    dataDir: string;
    host: HostKind;
    bus: EventBus;
    log: Logger;
  }) {
    this.#db = options.db;
    this.#files = new FilesStore(options.db);
    this.#databaseFile = options.databaseFile;
    this.#uploadsDir = join(options.dataDir, 'uploads');
    this.#host = options.host;
    this.#bus = options.bus;
    this.#log = options.log;
    // Reads cut short by a crash or a kill are marked as such, not left "loading" forever.
    this.#files.unfinishedReadsFailed('Reading stopped when the app closed. Open the file again.');
  }

  /**
   * Saves an upload from the web host into the data folder and returns its id. Refuses it up front when the disk
   * cannot hold it twice over (the copy, then its rows), and removes a partial copy when anything fails.
   */
  async receiveUpload(fileName: string, declaredSize: number | null, body: Readable): Promise<FileSource> {
    const name = safeFileName(fileName);
    if (declaredSize !== null) await this.#ensureSpace(name, declaredSize * (1 + SPACE_FACTOR));
    const uploadId = randomUUID();
    const dir = join(this.#uploadsDir, uploadId);
    await mkdir(dir, { recursive: true });
    try {
      await pipeline(body, createWriteStream(join(dir, name), { flags: 'wx' }));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      if ((error as { code?: string }).code === 'ENOSPC') {
        throw new ServiceError('UNAVAILABLE', `There is not enough free disk space to receive “${name}”.`);
      }
      throw new ServiceError('UNAVAILABLE', `“${name}” did not arrive completely. Try again.`);
    }
    return { kind: 'upload', uploadId };
  }

  /**
   * Deletes uploaded copies that no file in the app refers to: uploads that were never opened, or whose read never
   * started. The web host runs it at start, before it takes uploads; a copy less than an hour old is left alone,
   * in case another start of the app is receiving it.
   */
  async pruneUploads(): Promise<void> {
    const names = await readdir(this.#uploadsDir).catch(() => [] as string[]);
    const paths = this.#files.sourcePaths();
    const kept = new Set(paths.map((path) => relative(this.#uploadsDir, path).split(sep)[0]));
    for (const name of names) {
      const dir = join(this.#uploadsDir, name);
      const info = await stat(dir).catch(() => null);
      if (kept.has(name) || !info || Date.now() - info.mtimeMs < UPLOAD_GRACE_MS) continue;
      await rm(dir, { recursive: true, force: true });
      this.#log.info('removed an upload no file refers to', { upload: name });
    }
  }

  async load(source: FileSource, settings: ReadSettings = {}): Promise<TaskStarted> {
    const path = await this.#resolveSource(source);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      throw new ServiceError('NOT_FOUND', `“${basename(path)}” could not be found. It may have been moved or deleted.`);
    }
    if (source.kind === 'path') await this.#ensureSpace(basename(path), info.size * SPACE_FACTOR);
    const fileId = randomUUID();
    this.#files.add({
      id: fileId,
      openedAt: new Date().toISOString(),
      name: basename(path),
      sourcePath: path,
      size: info.size,
      modifiedAt: info.mtime.toISOString(),
      settings,
    });
    return this.#startRead(fileId, settings);
  }

  async reread(fileId: string, settings: ReadSettings): Promise<TaskStarted> {
    const file = this.#row(fileId);
    const info = await stat(file.sourcePath).catch(() => null);
    if (!info?.isFile()) {
      throw new ServiceError('NOT_FOUND', `“${file.name}” could not be found. It may have been moved or deleted.`);
    }
    this.#cancelTasksOf(fileId);
    this.#files.readAgain(fileId, { settings, size: info.size, modifiedAt: info.mtime.toISOString() });
    // Rows read again may differ from the rows checked: the check is out of date (its default timestamp is kept).
    checkStale(this.#db, fileId);
    return this.#startRead(fileId, settings);
  }

  /** Opens a file from the recent list: at once if its rows are stored and it has not changed since. */
  async openRecent(fileId: string): Promise<{ taskId: string | null; fileId: string }> {
    const file = this.#row(fileId);
    const info = await stat(file.sourcePath).catch(() => null);
    const unchanged = info?.isFile() && info.size === file.size && info.mtime.toISOString() === file.modifiedAt;
    if (file.state === 'ready' && unchanged) {
      this.#files.opened(fileId, new Date().toISOString());
      return { taskId: null, fileId };
    }
    const settings = ReadSettings.parse(file.settings);
    return this.reread(fileId, settings);
  }

  /** Calls `listener` with every read's sample and end; returns how to stop. */
  onRead(listener: (event: ReadEvent) => void): () => void {
    this.#readListeners.add(listener);
    return () => this.#readListeners.delete(listener);
  }

  #told(event: ReadEvent): void {
    for (const listener of this.#readListeners) listener(event);
  }

  cancel(taskId: string): boolean {
    const task = this.#tasks.get(taskId);
    if (!task) return false;
    task.cancelled = true;
    task.worker.postMessage({ type: 'cancel' });
    return true;
  }

  get(fileId: string): FileSummary {
    return toSummary(this.#row(fileId));
  }

  rows(fileId: string, offset: number, limit: number): Row[] {
    const file = this.#row(fileId);
    if (file.state !== 'ready') {
      throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
    }
    return readRowPage(this.#db, fileId, offset, limit).map(([rowNumber, ...cells]) => ({ rowNumber, cells }));
  }

  recent(limit = 10): FileSummary[] {
    return this.#files.recent(limit).map(toSummary);
  }

  /** Stops every running read; used when the app quits. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#tasks.values()].map((task) => task.worker.terminate()));
    this.#tasks.clear();
  }

  #startRead(fileId: string, settings: ReadSettings): TaskStarted {
    const file = this.#row(fileId);
    const taskId = randomUUID();
    const storedRows = storedRowsCounter();
    const input: ReadWorkerInput = {
      databaseFile: this.#databaseFile,
      fileId,
      path: file.sourcePath,
      fileName: file.name,
      settings,
      storedRows,
    };
    const worker = startThread('read-worker', input);
    const task: Task = { worker, fileId, cancelled: false };
    this.#tasks.set(taskId, task);
    const title = `Reading ${file.name}`;
    this.#bus.emit('progress', { taskId, value: 0, title, description: 'Starting…' });

    let finished = false;
    const finish = (outcome: 'done' | 'failed' | 'cancelled', message: string | null) => {
      if (finished) return;
      finished = true;
      this.#tasks.delete(taskId);
      const result = outcome === 'done' ? this.get(fileId).result : null;
      const columns = result?.columns.map((column) => column.name) ?? null;
      this.#told({ kind: 'end', fileId, outcome, columns, rowCount: result?.rowCount ?? 0 });
      this.#bus.emit('taskFinished', { taskId, fileId, outcome, message });
    };
    worker.on('message', (message: ReadWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          this.#bus.emit('progress', {
            taskId,
            // Bytes lead rows (a workbook's shared text comes before its first row): never 100 % before the end.
            value: file.size > 0 ? Math.min(0.99, message.bytesRead / file.size) : null,
            title,
            description:
              message.rowsRead === 0
                ? 'Opening the file…'
                : `${message.rowsRead.toLocaleString('en-US')} ${message.rowsRead === 1 ? 'row' : 'rows'} read`,
          });
          return;
        case 'sample':
          this.#told({ kind: 'sample', fileId, columns: message.columns, rows: message.rows, storedRows });
          return;
        case 'done': {
          const result = ReadResult.parse(message.result);
          this.#files.readDone(fileId, result);
          this.#log.info('file read', { fileId, rows: result.rowCount, columns: result.columns.length });
          finish('done', null);
          return;
        }
        case 'failed': {
          const cancelled = message.code === 'CANCELLED' || task.cancelled;
          this.#files.readStopped(fileId, {
            state: cancelled ? 'cancelled' : 'failed',
            problem: cancelled ? null : message.message,
          });
          if (message.detail) this.#log.error('reading failed', { fileId, detail: message.detail });
          finish(cancelled ? 'cancelled' : 'failed', cancelled ? null : message.message);
          return;
        }
      }
    });
    worker.on('error', (error) => {
      this.#log.error('reading worker crashed', { fileId, error });
      const problem = `“${file.name}” could not be read because of an error in the app. The details are in the log.`;
      this.#files.readFailed(fileId, problem);
      finish('failed', problem);
    });
    worker.on('exit', (code) => {
      if (finished) return;
      if (task.cancelled || this.#closing) {
        this.#files.readCancelled(fileId);
        finish('cancelled', null);
        return;
      }
      // Stopped without a word and without being asked to: a failure, said as one, never a quiet "cancelled".
      this.#log.error('reading worker stopped unexpectedly', { fileId, code });
      const problem = `“${file.name}” could not be read: the reading stopped unexpectedly. The details are in the log.`;
      this.#files.readFailed(fileId, problem);
      finish('failed', problem);
    });
    return { taskId, fileId };
  }

  #cancelTasksOf(fileId: string): void {
    for (const [taskId, task] of this.#tasks) if (task.fileId === fileId) this.cancel(taskId);
  }

  async #resolveSource(source: FileSource): Promise<string> {
    if (source.kind === 'upload') {
      const dir = join(this.#uploadsDir, source.uploadId);
      const names = await readdir(dir).catch(() => []);
      const name = names[0];
      if (!name) throw new ServiceError('NOT_FOUND', 'The uploaded file is no longer there. Choose it again.');
      return join(dir, name);
    }
    if (this.#host !== 'electron') {
      throw new ServiceError('FORBIDDEN', 'In the browser, files are opened by choosing or dropping them.');
    }
    if (!isAbsolute(source.path)) throw new ServiceError('INVALID_ARGUMENT', 'The file path is not a full path.');
    return source.path;
  }

  async #ensureSpace(name: string, needed: number): Promise<void> {
    await mkdir(this.#uploadsDir, { recursive: true });
    const space = await statfs(this.#uploadsDir).catch(() => null);
    if (space && space.bavail * space.bsize < needed) {
      const mb = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;
      throw new ServiceError(
        'UNAVAILABLE',
        `“${name}” needs about ${mb(needed)} of free disk space to be read, and only ${mb(space.bavail * space.bsize)} ` +
          'is left. Free some space and try again.',
      );
    }
  }

  #row(fileId: string): StoredFile {
    const row = this.#files.get(fileId);
    if (!row) throw new ServiceError('NOT_FOUND', 'That file is no longer in the app. Open it again.');
    return row;
  }
}

function toSummary(file: StoredFile): FileSummary {
  const { id, name, size, modifiedAt, openedAt, state, problem, settings, result } = file;
  return FileSummary.parse({ id, name, size, modifiedAt, openedAt, state, problem, settings, result });
}

/** A file name safe to create in the uploads folder: no folders, no control characters, not empty. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replaceAll('\\', '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed.
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned;
}
