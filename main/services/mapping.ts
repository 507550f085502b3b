import type { ColumnSuggestion, Mapping, MappingProblem, SampleRow } from '../../app/contract.ts';
import { buildRow } from '../../app/messages/builder.ts';
import { fileRunTimestamp } from '../../app/messages/run-timestamp.ts';
import type { Database } from '../../app/journal/database.ts';
import { mappingProblems } from '../../app/map/integrity.ts';
import { SAMPLE_ROWS } from '../../app/read/limits.ts';
import { localTimeZone } from '../../app/map/mapping.ts';
import { explainMapping, type MessageExplanation } from '../../app/map/explain-mapping.ts';
import { suggestColumns, suggestedMapping, suggestMapping, valuesByColumn } from '../../app/map/suggest.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';
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

/** The Map step's service: suggestions, the mapping kept with each file, and live samples. */
export class MappingService {
  readonly #db: Database;
  readonly #mappings: FileMappingsStore;
  readonly #files: FilesService;

  constructor(db: Database, files: FilesService) {
    this.#db = db;
    this.#mappings = new FileMappingsStore(db);
    this.#files = files;
  }

  /**
   * Readies what the first suggestion needs — the time zone data, the suggestion's code — so the first Map step
   * answers as quickly as the next (on the thread that serves the window, the first one took 90 ms and the next
   * 20). Called once, when the app starts: on a sample of made-up values, reading no file.
   */
  warmUp(): void {
    localTimeZone();
    const columns = ['Account ID', 'Account name', 'Email', 'Seats', 'Created'];
    const values = valuesByColumn(columns, [
      ['A-1', 'Acme', 'ann@acme.example', '12', '2026-01-31'],
      ['A-2', 'Globex', 'bo@globex.example', '3', '2026-02-01'],
    ]);
    const suggestions = suggestColumns(columns, values);
    explainMapping(suggestMapping(suggestions, values), suggestions);
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
    const suggestions = suggestColumns(columns, values);
    const suggested = suggestMapping(suggestions, values);
    const explanations = explainMapping(suggested, suggestions);
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
