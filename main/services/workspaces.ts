import { randomUUID } from 'node:crypto';
import type { ConnectionTest, KeychainStatus, Workspace } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { addressToKeep, cleanToken, parseWorkspaceAddress } from '../../app/send/address.ts';
import { statusOf } from '../../app/send/fetch-port.ts';
import { ServiceError } from '../api/errors.ts';
import { registerSecret, type Logger } from '../log.ts';
import { KEYCHAIN_READY, keychainRefusal, keychainStatus, type SecretStore } from './secrets.ts';
import { WorkspacesStore, type TokenStorage, type WorkspaceRecord } from './store/workspaces.ts';

const TEST_TIMEOUT_MS = 15_000;

/**
 * Vitally workspaces: where to send and with which token. The token goes to the keychain (or, when the user
 * chooses it because the keychain is missing, forgets at restart, is locked or refused, to memory for this
 * session) and is never returned: the renderer sees only whether one is saved and its last four characters.
 * A saved token is sent only to the address it was saved for: changing that address needs the token again.
 */
export class WorkspacesService {
  readonly #workspaces: WorkspacesStore;
  readonly #keychain: SecretStore | null;
  readonly #session: SecretStore;
  readonly #log: Logger;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  #status: KeychainStatus;

  constructor(options: {
    db: Database;
    keychain: SecretStore | null;
    session: SecretStore;
    log: Logger;
    /** What detecting the keychain found; by default ready when there is one and missing when there is none. */
    keychainStatus?: KeychainStatus;
    /** The host's own `fetch` for the connection test (the desktop app's goes through Electron's network stack). */
    fetch?: ((url: string, init: RequestInit) => Promise<Response>) | null;
  }) {
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#workspaces = new WorkspacesStore(options.db);
    this.#keychain = options.keychain;
    this.#session = options.session;
    this.#log = options.log;
    this.#status = options.keychainStatus ?? (options.keychain ? KEYCHAIN_READY : keychainStatus('missing'));
  }

  /** Whether tokens can be kept in the keychain; after a refusal, why not (until a save there succeeds). */
  get keychainStatus(): KeychainStatus {
    return this.#keychain ? this.#status : { ...this.#status, available: false };
  }

  list(): Workspace[] {
    return this.#workspaces.list().map((record) => this.#toWorkspace(record));
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
    const existing = input.id ? this.#record(input.id) : null;
    let storage = existing?.tokenStorage ?? null;
    if (existing && storage !== null && input.token === undefined && existing.baseUrl !== address.baseUrl) {
      // Otherwise whoever can call the API could point a workspace at their own server and have the
      // connection test hand it the saved token.
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `The address changed, so enter the token again: a saved token is only sent to the address it was saved for (${existing.baseUrl}).`,
      );
    }
    if (input.token !== undefined) {
      const token = cleanToken(input.token);
      if (token === '')
        throw new ServiceError('INVALID_ARGUMENT', 'The token is empty. Paste the API key from Vitally.');
      registerSecret(token);
      const store = this.#storeFor(input.sessionOnly === true ? 'session' : 'keychain');
      try {
        store.set(id, token);
      } catch (error) {
        this.#status = keychainStatus(keychainRefusal(error));
        this.#log.warn('the keychain refused a token', { error, problem: this.#status.problem });
        throw new ServiceError('UNAVAILABLE', this.#status.message ?? 'The keychain did not accept the token.');
      }
      if (store.kind === 'keychain') this.#status = KEYCHAIN_READY;
      // The token now lives in one store only.
      if (storage !== null && storage !== store.kind) this.#forget(id, storage);
      storage = store.kind;
    }
    const record: WorkspaceRecord = {
      id,
      name: input.name,
      address: addressToKeep(input.address),
      baseUrl: address.baseUrl,
      subdomain: address.subdomain,
      tokenStorage: storage,
    };
    if (existing) this.#workspaces.update(record);
    else this.#workspaces.add(record);
    return this.#toWorkspace(this.#record(id));
  }

  forgetToken(id: string): Workspace {
    this.#forget(id, this.#record(id).tokenStorage);
    this.#workspaces.setTokenStorage(id, null);
    return this.#toWorkspace(this.#record(id));
  }

  delete(id: string): boolean {
    const record = this.#workspaces.get(id);
    if (!record) return false;
    this.#forget(id, record.tokenStorage);
    this.#workspaces.delete(id);
    return true;
  }

  /** The token, for main's own requests only. */
  token(id: string): string | null {
    return this.#read(id, this.#record(id).tokenStorage);
  }

  async test(id: string): Promise<ConnectionTest> {
    const workspace = this.#record(id);
    const token = this.token(id);
    if (!token) throw new ServiceError('FAILED_PRECONDITION', `“${workspace.name}” has no token saved. Add one first.`);
    let response: Response;
    try {
      response = await this.#fetch(`${workspace.baseUrl}/batch`, {
        method: 'POST',
        headers: { Authorization: `Basic ${token}`, 'Content-Type': 'application/json' },
        body: '[]',
        signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
        redirect: 'manual',
      });
      await response.arrayBuffer();
    } catch (error) {
      this.#log.info('connection test could not reach the host', { workspace: id, error });
      return {
        outcome: 'unreachable',
        status: null,
        message: `No answer from ${new URL(workspace.baseUrl).host}. Check the address and your internet connection.`,
      };
    }
    const status = statusOf(response);
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
    return { outcome: 'unexpected', status, message: unexpectedAnswer(status, workspace.baseUrl) };
  }

  #storeFor(storage: TokenStorage): SecretStore {
    if (storage === 'session') return this.#session;
    if (!this.#keychain) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        this.keychainStatus.message ?? 'This computer has no keychain the app can use.',
      );
    }
    return this.#keychain;
  }

  #read(id: string, storage: TokenStorage | null): string | null {
    let token: string | null = null;
    try {
      if (storage === 'keychain') token = this.#keychain?.get(id) ?? null;
      if (storage === 'session') token = this.#session.get(id);
    } catch (error) {
      this.#log.warn('the keychain could not be read', { error });
    }
    if (token !== null) registerSecret(token);
    return token;
  }

  #forget(id: string, storage: TokenStorage | null): void {
    try {
      if (storage === 'keychain') this.#keychain?.delete(id);
      if (storage === 'session') this.#session.delete(id);
    } catch (error) {
      this.#log.warn('a token could not be removed from the keychain', { error });
    }
  }

  #record(id: string): WorkspaceRecord {
    const record = this.#workspaces.get(id);
    if (!record) throw new ServiceError('NOT_FOUND', 'That workspace is no longer in the app.');
    return record;
  }

  #toWorkspace(record: WorkspaceRecord): Workspace {
    const token = this.#read(record.id, record.tokenStorage);
    return {
      id: record.id,
      name: record.name,
      address: record.address,
      baseUrl: record.baseUrl,
      subdomain: record.subdomain,
      token: {
        saved: token !== null,
        lastFour: token ? token.slice(-4) : null,
        storage: token ? record.tokenStorage : null,
      },
    };
  }
}

/** A connection test's answer that says neither yes nor no, in plain words with the next step. */
export function unexpectedAnswer(status: number, baseUrl: string): string {
  if (status === 404 || status === 405) {
    return (
      `Nothing at ${baseUrl} answers like Vitally’s Analytics API (${status}). Check the address: for Vitally ` +
      'it is your subdomain, and an address of your own usually ends in /analytics/v1.'
    );
  }
  if (status === 429) return 'Vitally is busy (429: too many requests). Test again in a minute.';
  if (status >= 500) return `Vitally had a problem on its side (${status}). Test again in a few minutes.`;
  if (status >= 300 && status < 400) {
    return `The address redirects elsewhere (${status}). Enter the API address itself: for Vitally, your subdomain.`;
  }
  return `The server answered ${status}, which Vitally’s API does not use for this. Check the address.`;
}
