import type { ColumnSuggestion, MappingProblem, SampleRow } from '../../app/contract.ts';
import { buildRow } from '../../app/messages/builder.ts';
import { fileRunTimestamp } from '../../app/messages/run-timestamp.ts';
import type { Database } from '../../app/journal/database.ts';
import { mappingProblems } from '../../app/map/integrity.ts';
import { SAMPLE_ROWS } from '../../app/read/limits.ts';
import { localTimeZone, Mapping } from '../../app/map/mapping.ts';
import type { MessageExplanation } from '../../app/map/explain-mapping.ts';
import { mapSuggestion, suggestedMapping, valuesByColumn, type MapSuggestion } from '../../app/map/suggest.ts';
import type { SuggestWorkerInput } from '../../app/map/suggest-worker.ts';
import { startThread } from '../../app/threads/threads.ts';
import type { Worker } from 'node:worker_threads';
import { ServiceError } from '../api/errors.ts';
import type { FilesService, ReadEvent } from './files.ts';
import { FileMappingsStore } from './store/file-mappings.ts';

/** A file's columns as it is read now, and each column's first values, row by row. */
export function columnValues(
  files: FilesService,
  fileId: string,
): { columns: string[]; values: Map<string, string[]> } {
  const file = files.get(fileId);
  if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
  const columns = file.result.columns.map((column) => column.name);
  const rows = files.rows(fileId, 0, SAMPLE_ROWS);
  return {
    columns,
    values: valuesByColumn(
      columns,
      rows.map((row) => row.cells),
    ),
  };
}

/** The integrity problems of `mapping` for the file as it is read now (`app/map/integrity.ts`). */
export function integrityOf(files: FilesService, fileId: string, mapping: Mapping): MappingProblem[] {
  const { columns, values } = columnValues(files, fileId);
  return mappingProblems(mapping, columns, values);
}

/** A suggestion worked out during a read: for its columns and first rows, once the read has ended well. */
interface Ahead {
  columns: string[];
  rows: string[][];
  ended: boolean;
  answer: MapSuggestion | null;
  worker: Worker | null;
  /** Resolves once its worker has answered or stopped. */
  settled: Promise<void> | null;
}

/** Files whose suggestion worked out ahead is kept. */
const KEPT_AHEAD = 4;

/** The Map step's service: suggestions, the mapping kept with each file, and live samples. */
export class MappingService {
  readonly #db: Database;
  readonly #mappings: FileMappingsStore;
  readonly #files: FilesService;

  /**
   * Each file's suggestion worked out during its last read (`app/map/suggest-worker.ts`), from the read's first
   * rows: used by `get` only once that read has ended well and only for exactly the columns and values it reads
   * then, so it is always what `get` would work out itself.
   */
  readonly #ahead = new Map<string, Ahead>();
  readonly #stopListening: () => void;

  constructor(db: Database, files: FilesService) {
    this.#db = db;
    this.#mappings = new FileMappingsStore(db);
    this.#files = files;
    this.#stopListening = files.onRead((event) => this.#onRead(event));
  }

  /** Whether a suggestion worked out ahead is there for the file, once any under way is in (for the tests). */
  async suggestedAhead(fileId: string): Promise<boolean> {
    const ahead = this.#ahead.get(fileId);
    await ahead?.settled;
    return this.#ahead.get(fileId) === ahead && (ahead?.answer ?? null) !== null;
  }

  /** Stops the suggestions under way. */
  close(): void {
    this.#stopListening();
    for (const ahead of this.#ahead.values()) void ahead.worker?.terminate();
    this.#ahead.clear();
  }

  #onRead(event: ReadEvent): void {
    const { fileId } = event;
    const before = this.#ahead.get(fileId);
    if (event.kind === 'sample') {
      void before?.worker?.terminate();
      const input: SuggestWorkerInput = { columns: event.columns, rows: event.rows };
      const worker = startThread('suggest-worker', input);
      const ahead: Ahead = {
        columns: event.columns,
        rows: event.rows,
        ended: false,
        answer: null,
        worker,
        settled: null,
      };
      ahead.settled = new Promise<void>((settle) => {
        worker.on('message', (answer: MapSuggestion) => {
          if (this.#ahead.get(fileId) === ahead) ahead.answer = answer;
        });
        // A suggestion that fails is worked out again when Map asks.
        worker.on('error', () => undefined);
        worker.on('exit', () => {
          ahead.worker = null;
          settle();
        });
      });
      this.#ahead.delete(fileId);
      this.#ahead.set(fileId, ahead);
      // Kept for the last few files read: each holds its sample's cells.
      for (const [oldest, dropped] of this.#ahead) {
        if (this.#ahead.size <= KEPT_AHEAD) break;
        void dropped.worker?.terminate();
        this.#ahead.delete(oldest);
      }
      return;
    }
    // A read that ended badly, or one with no sample of its own (fewer rows than a sample), leaves nothing to use.
    if (event.outcome === 'done' && before && !before.ended) before.ended = true;
    else {
      void before?.worker?.terminate();
      this.#ahead.delete(fileId);
    }
  }

  /** The suggestion worked out ahead for exactly these columns and values, if there is one. */
  #aheadFor(fileId: string, columns: readonly string[], values: ReadonlyMap<string, readonly string[]>) {
    const ahead = this.#ahead.get(fileId);
    if (!ahead?.ended || !ahead.answer) return null;
    if (ahead.columns.length !== columns.length || ahead.columns.some((column, i) => column !== columns[i]))
      return null;
    const same = columns.every((column, i) => {
      const cells = values.get(column) ?? [];
      return cells.length === ahead.rows.length && cells.every((cell, row) => cell === (ahead.rows[row]?.[i] ?? ''));
    });
    return same ? ahead.answer : null;
  }

  /**
   * Readies what the first suggestion needs — the time zone data, the suggestion's code, compiled for a sample of
   * the usual size — so the first Map step answers as quickly as the next: on the thread that serves the window,
   * the first took 90 ms and the next 15. The hosts call it once, as the app starts, on made-up values.
   */
  warmUp(): void {
    localTimeZone();
    const columns = ['Account ID', 'Account name', 'Email', 'Seats', 'Created', 'Active', 'Plan'];
    const rows = Array.from({ length: SAMPLE_ROWS }, (_, i) => [
      `A-${1000 + i}`,
      `Company ${i}`,
      `person${i}@example.com`,
      String(i % 50),
      `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      i % 3 === 0 ? 'yes' : 'no',
      ['Basic', 'Pro', 'Enterprise'][i % 3] ?? '',
    ]);
    const values = valuesByColumn(columns, rows);
    const mapping = Mapping.parse(mapSuggestion(columns, values).mapping);
    mappingProblems(mapping, columns, values);
  }

  /**
   * The file's saved mapping (even if the file was read again since and it names columns gone: the sample's
   * problems say so), or one suggested from its columns and their first values.
   */
  get(fileId: string): {
    mapping: Mapping;
    saved: boolean;
    suggestions: ColumnSuggestion[];
    explanations: MessageExplanation[];
    localTimeZone: string;
  } {
    const { columns, values } = columnValues(this.#files, fileId);
    const {
      suggestions,
      mapping: suggested,
      explanations,
    } = this.#aheadFor(fileId, columns, values) ?? mapSuggestion(columns, values);
    const saved = this.#mappings.get(fileId);
    const zone = localTimeZone();
    if (saved) return { mapping: saved, saved: true, suggestions, explanations, localTimeZone: zone };
    return { mapping: suggested, saved: false, suggestions, explanations, localTimeZone: zone };
  }

  /** The mapping suggested for the file's columns as they are now, whatever is saved. */
  suggested(fileId: string): Mapping {
    const { columns, values } = columnValues(this.#files, fileId);
    return suggestedMapping(columns, values);
  }

  save(fileId: string, mapping: Mapping): void {
    this.#columns(fileId);
    this.#mappings.set(fileId, mapping);
  }

  /**
   * The first rows as they will be sent: built with the file's own default timestamp (fixed by the first sample or
   * check, and kept), so the ids shown are the ids sent.
   */
  sample(fileId: string, mapping: Mapping, count = 3): SampleRow[] {
    const columns = this.#columns(fileId);
    const context = { columns, runTimestamp: fileRunTimestamp(this.#db, fileId) };
    return this.#files.rows(fileId, 0, count).map((row) => {
      const built = buildRow(mapping, context, [row.rowNumber, ...row.cells]);
      return { rowNumber: row.rowNumber, messages: built.messages.map((m) => m.json), problems: built.problems };
    });
  }

  /**
   * The mapping's integrity problems for the file as it is read now. A column gone after a re-read can also be
   * fixed by starting again from the suggestions for the columns the file has now.
   */
  problems(fileId: string, mapping: Mapping): MappingProblem[] {
    const problems = integrityOf(this.#files, fileId, mapping);
    if (!problems.some((p) => p.code === 'missing-column')) return problems;
    const fresh = { label: 'Start again from the suggestions for the file’s columns', mapping: this.suggested(fileId) };
    return problems.map((p) => (p.code === 'missing-column' ? { ...p, fixes: [...p.fixes, fresh] } : p));
  }

  #columns(fileId: string): string[] {
    const file = this.#files.get(fileId);
    if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
    return file.result.columns.map((column) => column.name);
  }
}
