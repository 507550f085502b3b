import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  BatchInfo,
  Mapping,
  PreviewSummary,
  RowProblems,
  type PreviewState,
  type TaskStarted,
} from '../../app/contract.ts';
import { batchAt } from '../../app/build/preview.ts';
import type { PreviewWorkerInput, PreviewWorkerMessage } from '../../app/build/preview-worker.ts';
import type { Database } from '../../app/journal/database.ts';
import { mappingGaps } from '../../app/map/mapping.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { WORKER_LIMITS, type FilesService } from './files.ts';

const PREVIEW_WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../app/build/preview-worker.ts', import.meta.url)
  : new URL('./preview-worker.js', import.meta.url);

interface PreviewRow {
  mapping: string;
  run_timestamp: string;
  state: string;
  summary: string;
}

/**
 * The Preview step's service: builds a file's preview in a worker (every row under its mapping, with the run's
 * timestamp fixed now), then serves its counts, its rows with problems, its batches and any batch's exact bytes.
 */
export class PreviewService {
  readonly #db: Database;
  readonly #databaseFile: string;
  readonly #files: FilesService;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #workers = new Map<string, Worker>();

  constructor(options: { db: Database; databaseFile: string; files: FilesService; bus: EventBus; log: Logger }) {
    this.#db = options.db;
    this.#databaseFile = options.databaseFile;
    this.#files = options.files;
    this.#bus = options.bus;
    this.#log = options.log;
  }

  start(fileId: string): TaskStarted {
    const { mapping, columns, rowCount, name } = this.#fileMapping(fileId);
    const gaps = mappingGaps(mapping);
    if (gaps.length > 0) throw new ServiceError('FAILED_PRECONDITION', gaps.join(' '));
    this.#workers.get(fileId)?.postMessage({ type: 'cancel' });
    const runTimestamp = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    this.#db
      .prepare(
        `INSERT INTO previews (file_id, created_at, mapping, run_timestamp, state) VALUES (?, ?, ?, ?, 'building')
         ON CONFLICT (file_id) DO UPDATE SET created_at = excluded.created_at, mapping = excluded.mapping,
           run_timestamp = excluded.run_timestamp, state = 'building', summary = '{}'`,
      )
      .run(fileId, new Date().toISOString(), JSON.stringify(mapping), runTimestamp);
    const taskId = randomUUID();
    const input: PreviewWorkerInput = {
      databaseFile: this.#databaseFile,
      fileId,
      rowCount,
      columns,
      mapping,
      runTimestamp,
    };
    const worker = new Worker(PREVIEW_WORKER, { workerData: input, resourceLimits: WORKER_LIMITS });
    this.#workers.set(fileId, worker);
    const title = `Checking ${name}`;
    let finished = false;
    const finish = (outcome: 'done' | 'failed' | 'cancelled', message: string | null) => {
      if (finished) return;
      finished = true;
      if (this.#workers.get(fileId) === worker) this.#workers.delete(fileId);
      this.#bus.emit('taskFinished', { taskId, fileId, outcome, message });
    };
    worker.on('message', (message: PreviewWorkerMessage) => {
      if (message.type === 'progress') {
        this.#bus.emit('progress', {
          taskId,
          value: rowCount > 0 ? message.rowsDone / rowCount : 1,
          title,
          description: `${message.rowsDone.toLocaleString('en-US')} of ${rowCount.toLocaleString('en-US')} rows checked`,
        });
      } else if (message.type === 'done') {
        this.#db
          .prepare("UPDATE previews SET state = 'ready', summary = ? WHERE file_id = ? AND run_timestamp = ?")
          .run(JSON.stringify(PreviewSummary.parse(message.summary)), fileId, runTimestamp);
        finish('done', null);
      } else {
        if (!message.cancelled) this.#log.error('preview failed', { fileId, message: message.message });
        this.#db
          .prepare("UPDATE previews SET state = 'failed' WHERE file_id = ? AND run_timestamp = ?")
          .run(fileId, runTimestamp);
        finish(
          message.cancelled ? 'cancelled' : 'failed',
          message.cancelled ? null : 'The preview could not be built. The details are in the log.',
        );
      }
    });
    worker.on('error', (error) => {
      this.#log.error('preview worker crashed', { fileId, error });
      finish('failed', 'The preview could not be built. The details are in the log.');
    });
    worker.on('exit', () => finish('cancelled', null));
    return { taskId, fileId };
  }

  get(fileId: string): PreviewState {
    const row = this.#row(fileId);
    if (!row) return { state: 'none', runTimestamp: null, summary: null, problem: null };
    const current = this.#db.prepare('SELECT mapping FROM files WHERE id = ?').get(fileId) as
      { mapping: string | null } | undefined;
    const stale = row.state === 'ready' && current?.mapping !== row.mapping;
    const summary = row.state === 'ready' ? PreviewSummary.parse(JSON.parse(row.summary)) : null;
    return {
      state: stale ? 'stale' : (row.state as PreviewState['state']),
      runTimestamp: row.run_timestamp,
      summary,
      problem: row.state === 'failed' ? 'The preview could not be built.' : null,
    };
  }

  problems(fileId: string, offset: number, limit: number): { rows: RowProblems[]; total: number } {
    const rows = this.#db
      .prepare(
        'SELECT row_number AS rowNumber, severity, problems FROM preview_problems WHERE file_id = ? ORDER BY row_number LIMIT ? OFFSET ?',
      )
      .all(fileId, limit, offset) as { rowNumber: number; severity: string; problems: string }[];
    const total = (
      this.#db.prepare('SELECT COUNT(*) AS n FROM preview_problems WHERE file_id = ?').get(fileId) as { n: number }
    ).n;
    return {
      rows: rows.map((row) => RowProblems.parse({ ...row, problems: JSON.parse(row.problems) as unknown })),
      total,
    };
  }

  batches(fileId: string, offset: number, limit: number): BatchInfo[] {
    const rows = this.#db
      .prepare(
        `SELECT batch, first_row AS firstRow, first_message AS firstMessage, messages, bytes, types
           FROM preview_batches WHERE file_id = ? ORDER BY batch LIMIT ? OFFSET ?`,
      )
      .all(fileId, limit, offset) as (Omit<BatchInfo, 'types'> & { types: string })[];
    return rows.map((row) => BatchInfo.parse({ ...row, types: JSON.parse(row.types) as unknown }));
  }

  batch(fileId: string, index: number): { body: string; rows: { rowNumber: number; type: string }[] } {
    const preview = this.#row(fileId);
    const [info] = this.batches(fileId, index, 1);
    if (!preview || preview.state !== 'ready' || !info)
      throw new ServiceError('NOT_FOUND', 'That batch is not in the preview.');
    const { columns, rowCount } = this.#fileMapping(fileId);
    const mapping = Mapping.parse(JSON.parse(preview.mapping));
    const { body, messages } = batchAt(
      this.#db,
      fileId,
      rowCount,
      mapping,
      { columns, runTimestamp: preview.run_timestamp },
      info,
    );
    return { body, rows: messages.map((m) => ({ rowNumber: m.rowNumber, type: m.type })) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((worker) => worker.terminate()));
  }

  #row(fileId: string): PreviewRow | undefined {
    return this.#db
      .prepare('SELECT mapping, run_timestamp, state, summary FROM previews WHERE file_id = ?')
      .get(fileId) as PreviewRow | undefined;
  }

  #fileMapping(fileId: string): { mapping: Mapping; columns: string[]; rowCount: number; name: string } {
    const file = this.#files.get(fileId);
    if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
    const stored = this.#db.prepare('SELECT mapping FROM files WHERE id = ?').get(fileId) as
      { mapping: string | null } | undefined;
    if (!stored?.mapping)
      throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has no mapping yet. Map its columns first.`);
    return {
      mapping: Mapping.parse(JSON.parse(stored.mapping)),
      columns: file.result.columns.map((c) => c.name),
      rowCount: file.result.rowCount,
      name: file.name,
    };
  }
}
