import { RunSummary } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { liveOwners, ownerAlive } from '../../app/journal/journal.ts';

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
                coalesce(json_array_length(options, '$.excludedRows'), 0) AS excludedRows,
                owner, owner_seen AS ownerSeen
           FROM runs ORDER BY created_at DESC LIMIT ?`,
      )
      .all(limit) as (Record<string, unknown> & { owner: string | null; ownerSeen: number })[];
    const check = liveOwners();
    return rows.map(({ owner, ownerSeen, ...row }) =>
      RunSummary.parse({ ...row, live: ownerAlive(owner, ownerSeen, check) }),
    );
  }
}
