import { createRequire } from 'node:module';
import type * as Keyring from '@napi-rs/keyring';
import type { Entry, EntryOptions } from '@napi-rs/keyring';
import type { KeychainProblem, KeychainStatus } from '../../app/contract.ts';

type KeyringModule = typeof Keyring;
const requireHere = createRequire(import.meta.url);
let loaded: { keyring: KeyringModule | null } | undefined;

/**
 * @napi-rs/keyring, loaded when first needed rather than imported: its native binding may be missing (a build
 * for another system, an installer that left it out), and a static import would then stop the whole app at
 * start. Without it, tokens are kept for the session only, and the Connect form says why. It is loaded
 * synchronously on purpose: an `await import()` at the top of a module would let Electron's `ready` event pass
 * before the main script has made its pre-ready calls.
 */
export function loadKeyring(load: () => KeyringModule = () => requireHere('@napi-rs/keyring') as KeyringModule) {
  if (!loaded) {
    try {
      loaded = { keyring: load() };
    } catch {
      loaded = { keyring: null };
    }
  }
  return loaded.keyring;
}

/** Forgets what `loadKeyring` found (tests). */
export function resetKeyringForTests(): void {
  loaded = undefined;
}

function keyringEntry(service: string, account: string, options: EntryOptions): Entry {
  const keyring = loadKeyring();
  if (!keyring) throw new Error('The keychain library could not be loaded on this computer.');
  return new keyring.Entry(service, account, options);
}

/** Where API tokens are kept: the OS keychain, or memory for this session when the user chooses that. */
export interface SecretStore {
  readonly kind: 'keychain' | 'session';
  get(account: string): string | null;
  set(account: string, secret: string): void;
  delete(account: string): void;
}

export const KEYCHAIN_SERVICE = 'Vitally Importer';
const PROBE_ACCOUNT = '__vitally_importer_probe__';

/**
 * On Linux, @napi-rs/keyring falls back silently to the kernel keyring, which forgets everything at restart.
 * Entries are pinned to the Secret Service (GNOME Keyring, KWallet, KeePassXC…) so that a token is either kept
 * for good or refused, never kept until the next reboot while the app says "saved in the keychain".
 */
const DURABLE: EntryOptions = { linux: { store: 'secret-service' } };

/** macOS Keychain, Windows Credential Manager or the Secret Service on Linux, through @napi-rs/keyring. */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain';
  readonly #service: string;

  constructor(service = KEYCHAIN_SERVICE) {
    this.#service = service;
  }

  get(account: string): string | null {
    return this.#entry(account).getPassword() ?? null;
  }

  set(account: string, secret: string): void {
    this.#entry(account).setPassword(secret);
  }

  delete(account: string): void {
    this.#entry(account).deletePassword();
  }

  #entry(account: string): Entry {
    return keyringEntry(this.#service, account, DURABLE);
  }

  /** Whether a durable keychain answers here (on Linux, the Secret Service). */
  static available(service = KEYCHAIN_SERVICE): boolean {
    return detectKeychain(systemProbe(service)).available;
  }
}

/** Tokens kept in memory only, for this session. Never written anywhere. */
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

/** What `detectKeychain` needs to know about this computer; tests pass stand-ins. */
export interface KeychainProbe {
  readonly platform: NodeJS.Platform;
  /** The D-Bus session address (Linux): the Secret Service is reached through it, and nothing else. */
  readonly sessionBus: string | undefined;
  /** Reads a missing entry from the durable keychain (on Linux, the Secret Service only); throws what it throws. */
  readDurable(): void;
  /** Linux: whether the kernel keyring answers, where @napi-rs/keyring would otherwise fall back silently. */
  kernelKeyringAnswers(): boolean;
}

/** The probe of this computer's real keychain. */
export function systemProbe(service = KEYCHAIN_SERVICE, env: NodeJS.ProcessEnv = process.env): KeychainProbe {
  return {
    platform: process.platform,
    sessionBus: env.DBUS_SESSION_BUS_ADDRESS,
    readDurable: () => void keyringEntry(service, PROBE_ACCOUNT, DURABLE).getPassword(),
    kernelKeyringAnswers: () => {
      try {
        keyringEntry(service, PROBE_ACCOUNT, { linux: { store: 'keyutils' } }).getPassword();
        return true;
      } catch {
        return false;
      }
    },
  };
}

export const KEYCHAIN_READY: KeychainStatus = { available: true, problem: null, message: null };

const SESSION_OFFER =
  'The app can instead keep the token in memory until it closes (“Keep the token for this session only”); ' +
  'you will be asked for it again next time.';

const MESSAGES: Record<KeychainProblem, string> = {
  missing: `This computer has no keychain the app can use, so the token cannot be saved. ${SESSION_OFFER}`,
  'not-durable':
    'No keychain service (such as GNOME Keyring or KWallet) is running, and the only place left to keep the ' +
    `token would forget it when the computer restarts, so the app does not save it there. ${SESSION_OFFER}`,
  locked: `Your keychain is locked, so the token was not saved. Unlock it and save again. ${SESSION_OFFER}`,
  refused: `Your keychain did not accept the token, so it was not saved. Try once more. ${SESSION_OFFER}`,
};

/** The status that goes with a problem, with its explanation in plain words. */
export function keychainStatus(problem: KeychainProblem | null): KeychainStatus {
  if (problem === null) return KEYCHAIN_READY;
  return { available: problem === 'locked' || problem === 'refused', problem, message: MESSAGES[problem] };
}

/**
 * Whether tokens can be kept for good here. On Linux that means a Secret Service reached over the session's
 * D-Bus: without one, the kernel keyring may still answer (`not-durable`), but it forgets at restart.
 * A locked keychain still answers a read; it shows itself when a token is saved (`keychainRefusal`).
 */
export function detectKeychain(probe: KeychainProbe): KeychainStatus {
  const linux = probe.platform === 'linux';
  const absent = () => keychainStatus(linux && probe.kernelKeyringAnswers() ? 'not-durable' : 'missing');
  if (linux && !probe.sessionBus) return absent();
  try {
    probe.readDurable();
  } catch {
    return absent();
  }
  return KEYCHAIN_READY;
}

/** Why a keychain that answers refused to save: locked (its unlock prompt failed or was dismissed) or otherwise. */
export function keychainRefusal(error: unknown): 'locked' | 'refused' {
  const text = error instanceof Error ? error.message : String(error);
  return /lock|prompt|dismiss|interaction|user canceled/i.test(text) ? 'locked' : 'refused';
}
