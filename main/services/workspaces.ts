import { randomUUID } from 'node:crypto';
import type { ConnectionTest, Workspace } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { cleanToken, parseWorkspaceAddress } from '../../app/send/address.ts';
import { ServiceError } from '../api/errors.ts';
import type { Logger } from '../log.ts';
import type { SecretStore } from './secrets.ts';

interface WorkspaceRow {
  id: string;
  name: string;
  address: string;
  base_url: string;
  subdomain: string | null;
  token_storage: 'keychain' | 'session' | null;
}

const TEST_TIMEOUT_MS = 15_000;

/**
 * Vitally workspaces: where to send and with which token. The token goes to the keychain (or, when the user
 * accepts it because there is none, to memory for this session) and is never returned: the renderer sees only
 * whether one is saved and its last four characters.
 */
export class WorkspacesService {
  readonly #db: Database;
  readonly #keychain: SecretStore | null;
  readonly #session: SecretStore;
  readonly #log: Logger;

  constructor(options: { db: Database; keychain: SecretStore | null; session: SecretStore; log: Logger }) {
    this.#db = options.db;
    this.#keychain = options.keychain;
    this.#session = options.session;
    this.#log = options.log;
  }

  get keychainAvailable(): boolean {
    return this.#keychain !== null;
  }

  list(): Workspace[] {
    const rows = this.#db.prepare('SELECT * FROM workspaces ORDER BY created_at').all() as unknown as WorkspaceRow[];
    return rows.map((row) => this.#toWorkspace(row));
  }

  save(input: {
    id?: string | undefined;
    name: string;
    address: string;
    token?: string | undefined;
    sessionOnly?: boolean | undefined;
  }): Workspace {
    const address = parseWorkspaceAddress(input.address);
    if (!address.ok) throw new ServiceError('INVALID_ARGUMENT', address.message);
    const id = input.id ?? randomUUID();
    const existing = input.id ? this.#row(input.id) : null;
    let storage = existing?.token_storage ?? null;
    if (input.token !== undefined) {
      const token = cleanToken(input.token);
      if (token === '')
        throw new ServiceError('INVALID_ARGUMENT', 'The token is empty. Paste the API key from Vitally.');
      const store = this.#storeFor(input.sessionOnly === true);
      this.#forget(id, existing?.token_storage ?? null);
      try {
        store.set(id, token);
      } catch (error) {
        this.#log.warn('the keychain refused a token', { error });
        throw new ServiceError(
          'UNAVAILABLE',
          'The keychain did not accept the token. Unlock your keychain (or log in again) and try once more.',
        );
      }
      storage = store.kind;
    }
    if (existing) {
      this.#db
        .prepare(
          'UPDATE workspaces SET name = ?, address = ?, base_url = ?, subdomain = ?, token_storage = ? WHERE id = ?',
        )
        .run(input.name, input.address.trim(), address.baseUrl, address.subdomain, storage, id);
    } else {
      this.#db
        .prepare(
          `INSERT INTO workspaces (id, created_at, name, address, base_url, subdomain, token_storage)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          new Date().toISOString(),
          input.name,
          input.address.trim(),
          address.baseUrl,
          address.subdomain,
          storage,
        );
    }
    return this.#toWorkspace(this.#row(id));
  }

  forgetToken(id: string): Workspace {
    const row = this.#row(id);
    this.#forget(id, row.token_storage);
    this.#db.prepare('UPDATE workspaces SET token_storage = NULL WHERE id = ?').run(id);
    return this.#toWorkspace(this.#row(id));
  }

  delete(id: string): boolean {
    const row = this.#db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    if (!row) return false;
    this.#forget(id, row.token_storage);
    this.#db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
    return true;
  }

  /** The token, for main's own requests only. */
  token(id: string): string | null {
    return this.#read(id, this.#row(id).token_storage);
  }

  async test(id: string): Promise<ConnectionTest> {
    const row = this.#row(id);
    const token = this.token(id);
    if (!token) throw new ServiceError('FAILED_PRECONDITION', `“${row.name}” has no token saved. Add one first.`);
    let response: Response;
    try {
      response = await fetch(`${row.base_url}/batch`, {
        method: 'POST',
        headers: { Authorization: `Basic ${token}`, 'Content-Type': 'application/json' },
        body: '[]',
        signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
    } catch (error) {
      this.#log.info('connection test could not reach the host', { workspace: id, error });
      return {
        outcome: 'unreachable',
        status: null,
        message: `No answer from ${new URL(row.base_url).host}. Check the address and your internet connection.`,
      };
    }
    const status = response.status;
    if (status === 401 || status === 403) {
      return {
        outcome: 'refused',
        status,
        message: `Vitally refused this token (${status}). Copy the API key again from Vitally's Integrations settings.`,
      };
    }
    if ((status >= 200 && status < 300) || status === 400) {
      return {
        outcome: 'not-refused',
        status,
        message:
          'Vitally answered and did not refuse the token. (Its API cannot check a token without receiving data, ' +
          'so a test can tell no more than that.)',
      };
    }
    return {
      outcome: 'unexpected',
      status,
      message: `The server answered ${status}, which Vitally's API does not use for this.`,
    };
  }

  #storeFor(sessionOnly: boolean): SecretStore {
    if (sessionOnly) return this.#session;
    if (!this.#keychain) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        'This computer has no keychain the app can use. Choose “Keep for this session only” to use the token until the app closes.',
      );
    }
    return this.#keychain;
  }

  #read(id: string, storage: WorkspaceRow['token_storage']): string | null {
    try {
      if (storage === 'keychain') return this.#keychain?.get(id) ?? null;
      if (storage === 'session') return this.#session.get(id);
    } catch (error) {
      this.#log.warn('the keychain could not be read', { error });
    }
    return null;
  }

  #forget(id: string, storage: WorkspaceRow['token_storage']): void {
    try {
      if (storage === 'keychain') this.#keychain?.delete(id);
      if (storage === 'session') this.#session.delete(id);
    } catch (error) {
      this.#log.warn('a token could not be removed from the keychain', { error });
    }
  }

  #row(id: string): WorkspaceRow {
    const row = this.#db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    if (!row) throw new ServiceError('NOT_FOUND', 'That workspace is no longer in the app.');
    return row;
  }

  #toWorkspace(row: WorkspaceRow): Workspace {
    const token = this.#read(row.id, row.token_storage);
    return {
      id: row.id,
      name: row.name,
      address: row.address,
      baseUrl: row.base_url,
      subdomain: row.subdomain,
      token: {
        saved: token !== null,
        lastFour: token ? token.slice(-4) : null,
        storage: token ? row.token_storage : null,
      },
    };
  }
}
