import { Mapping, type ColumnSuggestion, type SampleRow } from '../../app/contract.ts';
import { buildRow } from '../../app/build/builder.ts';
import type { Database } from '../../app/journal/database.ts';
import { suggestColumn, suggestMapping } from '../../app/map/suggest.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';

/** Rows whose values feed the suggestions. */
const SUGGESTION_ROWS = 200;

/** The Map step's service: suggestions, the mapping kept with each file, and live samples. */
export class MappingService {
  readonly #db: Database;
  readonly #files: FilesService;

  constructor(db: Database, files: FilesService) {
    this.#db = db;
    this.#files = files;
  }

  get(fileId: string): { mapping: Mapping; saved: boolean; suggestions: ColumnSuggestion[] } {
    const columns = this.#columns(fileId);
    const rows = this.#files.rows(fileId, 0, SUGGESTION_ROWS);
    const suggestions = columns.map((column, index) =>
      suggestColumn(
        column,
        rows.map((row) => row.cells[index] ?? ''),
      ),
    );
    const stored = this.#db.prepare('SELECT mapping FROM files WHERE id = ?').get(fileId) as
      { mapping: string | null } | undefined;
    const parsed = stored?.mapping ? Mapping.safeParse(JSON.parse(stored.mapping)) : null;
    if (parsed?.success) return { mapping: parsed.data, saved: true, suggestions };
    return { mapping: suggestMapping(suggestions), saved: false, suggestions };
  }

  save(fileId: string, mapping: Mapping): void {
    this.#columns(fileId);
    this.#db.prepare('UPDATE files SET mapping = ? WHERE id = ?').run(JSON.stringify(mapping), fileId);
  }

  sample(fileId: string, mapping: Mapping, count = 3): SampleRow[] {
    const columns = this.#columns(fileId);
    const context = { columns, runTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z') };
    return this.#files.rows(fileId, 0, count).map((row) => {
      const built = buildRow(mapping, context, [row.rowNumber, ...row.cells]);
      return { rowNumber: row.rowNumber, messages: built.messages.map((m) => m.json), problems: built.problems };
    });
  }

  #columns(fileId: string): string[] {
    const file = this.#files.get(fileId);
    if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
    return file.result.columns.map((column) => column.name);
  }
}
