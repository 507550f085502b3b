/**
 * The runs read model: what the screens and the services read of the `runs` table, typed. History's list of
 * imports (`RunListing`), a run's record (`RunRecord`: its file, workspace, address, state, kind) and what it was
 * built with (`RunSetup`: the mapping and the options, JSON parsed here). The journal (`journal.ts`) writes runs;
 * nothing else reads `runs` with SQL of its own.
 */
import type { Database } from './database.ts';
import { liveOwners, ownerAlive, type OwnerCheck } from './owners.ts';
import type { RunKind, RunState } from './types.ts';

/** One import as History lists it. */
export interface RunListing {
  id: string;
  createdAt: string;
  fileName: string;
  workspaceName: string;
  state: RunState;
  rows: number;
  accepted: number;
  rejected: number;
  /** The corrections made in Preview that the import was built with. */
  editedCells: number;
  excludedRows: number;
  /** Whether a live sender has it (it can be followed, not resumed). */
  live: boolean;
  kind: RunKind;
  parentRunId: string | null;
  fileId: string | null;
  endedAt: string | null;
  /** The message types its mapping makes, e.g. ["account", "user"]. */
  messageTypes: string[];
}

/** A run as the services know it, without the large JSON it keeps (see `RunSetup`). */
export interface RunRecord {
  id: string;
  createdAt: string;
  endedAt: string | null;
  state: RunState;
  kind: RunKind;
  parentRunId: string | null;
  fileId: string | null;
  fileName: string;
  workspaceId: string | null;
  workspaceName: string;
  /** The address it sends to. */
  baseUrl: string;
  /** Messages an earlier run of the same file delivered, left out of this one. */
  alreadyAccepted: number;
}

/** A cell edited in Preview when the run was made: its rows are shown as they were sent. */
export interface RunEdit {
  rowNumber: number;
  column: number;
  value: string;
}

/** The options a run was made with (`runs.options`). */
export interface RunOptions {
  /** The file's default timestamp the run's messages were built with. */
  runTimestamp: string | null;
  /** A trial's row limit. */
  rowLimit: number | null;
  /** A re-run that also sent the messages whose outcome was unknown. */
  includeUnknown: boolean;
  edits: RunEdit[];
}

/** What a run was built with: its file, and its mapping and options as stored. */
export interface RunSetup {
  fileId: string | null;
  fileName: string;
  /** The mapping as stored, JSON parsed (null when it does not parse): callers check it with the mapping's schema. */
  mapping: unknown;
  options: RunOptions;
}

const LISTING = `id, created_at AS createdAt, file_name AS fileName, workspace_name AS workspaceName, state,
                 rows, accepted, rejected,
                 coalesce(json_array_length(options, '$.edits'), 0) AS editedCells,
                 coalesce(json_array_length(options, '$.excludedRows'), 0) AS excludedRows,
                 kind, parent_run_id AS parentRunId, file_id AS fileId, ended_at AS endedAt,
                 (SELECT json_group_array(DISTINCT json_extract(m.value, '$.type'))
                    FROM json_each(runs.mapping, '$.messages') AS m) AS messageTypes,
                 owner, owner_seen AS ownerSeen`;

type ListingRow = Omit<RunListing, 'live' | 'messageTypes'> & {
  owner: string | null;
  ownerSeen: number;
  messageTypes: string | null;
};

const RECORD = `id, created_at AS createdAt, ended_at AS endedAt, state, kind, parent_run_id AS parentRunId,
                file_id AS fileId, file_name AS fileName, workspace_id AS workspaceId,
                workspace_name AS workspaceName, base_url AS baseUrl, already_accepted AS alreadyAccepted`;

/** Reads the `runs` table. */
export class RunRecords {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every import, newest first (at most `limit`). */
  listing(limit: number): RunListing[] {
    const rows = this.#db.prepare(`SELECT ${LISTING} FROM runs ORDER BY created_at DESC LIMIT ?`).all(limit);
    const check = liveOwners();
    return (rows as ListingRow[]).map((row) => toListing(row, check));
  }

  /** One import as History lists it; null when it is no longer in the app. */
  listed(runId: string): RunListing | null {
    const row = this.#db.prepare(`SELECT ${LISTING} FROM runs WHERE id = ?`).get(runId) as ListingRow | undefined;
    return row ? toListing(row, liveOwners()) : null;
  }

  /** The re-runs made of a run, oldest first, as History lists them. */
  reruns(runId: string): RunListing[] {
    const rows = this.#db.prepare(`SELECT ${LISTING} FROM runs WHERE parent_run_id = ? ORDER BY created_at`).all(runId);
    const check = liveOwners();
    return (rows as ListingRow[]).map((row) => toListing(row, check));
  }

  /** The run; null when it is no longer in the app. */
  record(runId: string): RunRecord | null {
    return (this.#db.prepare(`SELECT ${RECORD} FROM runs WHERE id = ?`).get(runId) as RunRecord | undefined) ?? null;
  }

  /** What the run was built with; null when it is no longer in the app. */
  setup(runId: string): RunSetup | null {
    const row = this.#db
      .prepare('SELECT file_id AS fileId, file_name AS fileName, mapping, options FROM runs WHERE id = ?')
      .get(runId) as { fileId: string | null; fileName: string; mapping: string; options: string } | undefined;
    if (!row) return null;
    return {
      fileId: row.fileId,
      fileName: row.fileName,
      mapping: safeJson(row.mapping),
      options: optionsOf(row.options),
    };
  }

  /** Whether any run has sent (or is sending) this file. */
  anyOfFile(fileId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM runs WHERE file_id = ? LIMIT 1').get(fileId) !== undefined;
  }
}

function toListing({ owner, ownerSeen, messageTypes, ...row }: ListingRow, check: OwnerCheck): RunListing {
  const types = JSON.parse(messageTypes ?? '[]') as unknown[];
  return {
    ...row,
    messageTypes: types.filter((t): t is string => typeof t === 'string'),
    live: ownerAlive(owner, ownerSeen, check),
  };
}

function optionsOf(text: string): RunOptions {
  const stored = (safeJson(text) ?? {}) as {
    runTimestamp?: unknown;
    rowLimit?: unknown;
    includeUnknown?: unknown;
    edits?: unknown;
  };
  return {
    runTimestamp: typeof stored.runTimestamp === 'string' ? stored.runTimestamp : null,
    rowLimit: typeof stored.rowLimit === 'number' ? stored.rowLimit : null,
    includeUnknown: stored.includeUnknown === true,
    edits: Array.isArray(stored.edits) ? (stored.edits as RunEdit[]) : [],
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
