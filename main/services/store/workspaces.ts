import type { Database } from '../../../app/journal/database.ts';

/** Where a workspace's token is kept: the OS keychain, or memory for this session only. */
export type TokenStorage = 'keychain' | 'session';

/** A workspace as the database keeps it. Its token is never here: only where it is kept, if anywhere. */
export interface WorkspaceRecord {
  id: string;
  name: string;
  /** The address as the user gave it (tidied by `addressToKeep`). */
  address: string;
  /** Where the API is: what requests are sent to, and the only place its token goes. */
  baseUrl: string;
  subdomain: string | null;
  tokenStorage: TokenStorage | null;
}

interface WorkspaceRow {
  id: string;
  name: string;
  address: string;
  base_url: string;
  subdomain: string | null;
  token_storage: TokenStorage | null;
}

const COLUMNS = 'id, name, address, base_url, subdomain, token_storage';

/** The `workspaces` table: every query of it, in the app's own types. */
export class WorkspacesStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every workspace, the oldest first. */
  list(): WorkspaceRecord[] {
    const rows = this.#db.prepare(`SELECT ${COLUMNS} FROM workspaces ORDER BY created_at`).all();
    return (rows as unknown as WorkspaceRow[]).map(toRecord);
  }

  get(id: string): WorkspaceRecord | null {
    const row = this.#db.prepare(`SELECT ${COLUMNS} FROM workspaces WHERE id = ?`).get(id);
    return row ? toRecord(row as unknown as WorkspaceRow) : null;
  }

  add(workspace: WorkspaceRecord, createdAt: Date = new Date()): void {
    this.#db
      .prepare(
        `INSERT INTO workspaces (id, created_at, name, address, base_url, subdomain, token_storage)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        workspace.id,
        createdAt.toISOString(),
        workspace.name,
        workspace.address,
        workspace.baseUrl,
        workspace.subdomain,
        workspace.tokenStorage,
      );
  }

  /** Writes everything but the id and when it was added. */
  update(workspace: WorkspaceRecord): void {
    this.#db
      .prepare(
        'UPDATE workspaces SET name = ?, address = ?, base_url = ?, subdomain = ?, token_storage = ? WHERE id = ?',
      )
      .run(
        workspace.name,
        workspace.address,
        workspace.baseUrl,
        workspace.subdomain,
        workspace.tokenStorage,
        workspace.id,
      );
  }

  setTokenStorage(id: string, storage: TokenStorage | null): void {
    this.#db.prepare('UPDATE workspaces SET token_storage = ? WHERE id = ?').run(storage, id);
  }

  delete(id: string): void {
    this.#db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
  }
}

function toRecord(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    baseUrl: row.base_url,
    subdomain: row.subdomain,
    tokenStorage: row.token_storage,
  };
}
