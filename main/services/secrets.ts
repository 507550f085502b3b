import { Entry } from '@napi-rs/keyring';

/** Where API tokens are kept: the OS keychain, or memory for this session when there is none. */
export interface SecretStore {
  readonly kind: 'keychain' | 'session';
  get(account: string): string | null;
  set(account: string, secret: string): void;
  delete(account: string): void;
}

export const KEYCHAIN_SERVICE = 'Vitally Importer';

/** macOS Keychain, Windows Credential Manager or the Secret Service on Linux, through @napi-rs/keyring. */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain';
  readonly #service: string;

  constructor(service = KEYCHAIN_SERVICE) {
    this.#service = service;
  }

  get(account: string): string | null {
    return new Entry(this.#service, account).getPassword() ?? null;
  }

  set(account: string, secret: string): void {
    new Entry(this.#service, account).setPassword(secret);
  }

  delete(account: string): void {
    new Entry(this.#service, account).deletePassword();
  }

  /** Whether a keychain answers here: reading a missing entry either works (null) or throws. */
  static available(service = KEYCHAIN_SERVICE): boolean {
    try {
      new Entry(service, '__vitally_importer_probe__').getPassword();
      return true;
    } catch {
      return false;
    }
  }
}

/** Tokens kept in memory only, for this session, where no keychain exists. Never written anywhere. */
export class SessionStore implements SecretStore {
  readonly kind = 'session';
  readonly #secrets = new Map<string, string>();

  get(account: string): string | null {
    return this.#secrets.get(account) ?? null;
  }

  set(account: string, secret: string): void {
    this.#secrets.set(account, secret);
  }

  delete(account: string): void {
    this.#secrets.delete(account);
  }
}
