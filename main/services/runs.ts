import { RunSummary } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { liveOwners, ownerAlive } from '../../app/journal/journal.ts';

const DEFAULT_LIMIT = 50;

const COLUMNS = `id, created_at AS createdAt, file_name AS fileName, workspace_name AS workspaceName, state,
                rows, accepted, rejected,
                coalesce(json_array_length(options, '$.edits'), 0) AS editedCells,
                coalesce(json_array_length(options, '$.excludedRows'), 0) AS excludedRows,
                kind, parent_run_id AS parentRunId, file_id AS fileId, ended_at AS endedAt,
                (SELECT json_group_array(DISTINCT json_extract(m.value, '$.type'))
                   FROM json_each(runs.mapping, '$.messages') AS m) AS messageTypes,
                owner, owner_seen AS ownerSeen`;

type Row = Record<string, unknown> & { owner: string | null; ownerSeen: number; messageTypes: string | null };

/** Reads the run journal for History: every import, newest first. */
export class RunsService {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  list(limit = DEFAULT_LIMIT): RunSummary[] {
    const rows = this.#db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY created_at DESC LIMIT ?`).all(limit) as Row[];
    const check = liveOwners();
    return rows.map((row) => toSummary(row, check));
  }

  get(runId: string): RunSummary | null {
    const row = this.#db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`).get(runId) as Row | undefined;
    return row ? toSummary(row, liveOwners()) : null;
  }
}

function toSummary({ owner, ownerSeen, messageTypes, ...row }: Row, check: ReturnType<typeof liveOwners>): RunSummary {
  const types = JSON.parse(messageTypes ?? '[]') as unknown[];
  return RunSummary.parse({
    ...row,
    messageTypes: types.filter((t): t is string => typeof t === 'string'),
    live: ownerAlive(owner, ownerSeen, check),
  });
}
