import { RunSummary } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';

const DEFAULT_LIMIT = 50;

/** Reads the run journal for History: every import, newest first. */
export class RunsService {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  list(limit = DEFAULT_LIMIT): RunSummary[] {
    const rows = this.#db
      .prepare(
        `SELECT id, created_at AS createdAt, file_name AS fileName, workspace_name AS workspaceName, state,
                rows, accepted, rejected,
                coalesce(json_array_length(options, '$.edits'), 0) AS editedCells,
                coalesce(json_array_length(options, '$.excludedRows'), 0) AS excludedRows
           FROM runs ORDER BY created_at DESC LIMIT ?`,
      )
      .all(limit);
    return rows.map((row) => RunSummary.parse({ ...row }));
  }
}
