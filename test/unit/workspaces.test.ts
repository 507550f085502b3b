import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeychainStatus, Workspace } from '../../app/contract.ts';
import { addressToKeep, cleanToken, parseWorkspaceAddress } from '../../app/send/address.ts';
import { createFileLogger, registerSecret } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { unexpectedAnswer } from '../../main/services/workspaces.ts';
import {
  detectKeychain,
  KeychainStore,
  keychainRefusal,
  type KeychainProbe,
  type SecretStore,
} from '../../main/services/secrets.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { tempDir } from '../support/temp.ts';

const keychain = KeychainStore.available();
if (!keychain) console.log('Keychain tests skipped: no Secret Service here (npm test provides one on Linux).');
const PROJECT_DIR = join(import.meta.dirname, '..', '..');
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const privateKeychain =
  process.platform === 'linux' && ['dbus-run-session', 'gnome-keyring-daemon', 'gdbus'].every(has);

describe('workspace addresses', () => {
  it.each([
    ['acme', 'https://acme.api.vitally.io/analytics/v1'],
    ['  Acme ', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.vitally.io/accounts/123', 'https://acme.api.vitally.io/analytics/v1'],
    ['acme.vitally.io', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.api.vitally.io/analytics/v1/', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://api.vitally-eu.io/analytics/v1', 'https://api.vitally-eu.io/analytics/v1'],
    ['http://127.0.0.1:8787/analytics/v1', 'http://127.0.0.1:8787/analytics/v1'],
    // What people paste: an API host without its path, an endpoint's address, the REST address, the legacy host.
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/analytics/v1'],
    ['http://localhost:8787/', 'http://localhost:8787/analytics/v1'],
    ['https://acme.api.vitally.io', 'https://acme.api.vitally.io/analytics/v1'],
    ['acme.api.vitally.io/analytics/v1/batch', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.rest.vitally.io/resources/accounts', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://api.vitally.io', 'https://api.vitally.io/analytics/v1'],
    ['https://api.vitally-eu.io', 'https://api.vitally-eu.io/analytics/v1'],
    ['https://proxy.example.com/vitally/analytics/v1/track?x=1#y', 'https://proxy.example.com/vitally/analytics/v1'],
    ['HTTPS://Acme.Vitally.io/Accounts', 'https://acme.api.vitally.io/analytics/v1'],
  ])('%j is sent to %s', (input, baseUrl) => {
    expect(parseWorkspaceAddress(input)).toMatchObject({ ok: true, baseUrl });
  });

  it.each([
    ['', 'Enter your Vitally subdomain'],
    ['http://proxy.example.com/analytics/v1', 'Only addresses on this computer may use http://'],
    ['https://user:secret@proxy.example.com', 'Put the token in the token field'],
    ['ftp://acme', 'is not a web address'],
    ['https://rest.vitally.io/resources/users', 'REST API'],
    ['https://proxy.example.com/analytics/v1?token=sk_live_1234', 'Put the token in the token field'],
    ['acme.vitally.io/#api_key=sk_live_1234', 'Put the token in the token field'],
    ['https://rest.vitally-eu.io/resources', 'EU data centre'],
    ['https://docs.vitally.io/en/articles/1', 'not the address of a Vitally workspace'],
    ['https://proxy.example.com/resources', 'REST API address'],
  ])('%j is refused with a reason', (input, message) => {
    const result = parseWorkspaceAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('keeps an address without its query or fragment, which are never needed to send', () => {
    expect(addressToKeep(' https://acme.vitally.io/accounts?view=all#top ')).toBe('https://acme.vitally.io/accounts');
    expect(addressToKeep('acme')).toBe('acme');
  });

  it('says how a pasted address was understood when that is not obvious', () => {
    const note = (input: string) => {
      const result = parseWorkspaceAddress(input);
      return result.ok ? result.note : undefined;
    };
    expect(note('https://acme.rest.vitally.io')).toContain('REST');
    expect(note('http://127.0.0.1:8787')).toContain('adds it');
    expect(note('https://api.vitally.io')).toContain('older');
    expect(note('acme')).toBeUndefined();
  });

  it('words a connection test that is neither yes nor no with what to do next', () => {
    expect(unexpectedAnswer(404, 'https://proxy.example.com')).toContain('Check the address');
    expect(unexpectedAnswer(404, 'https://proxy.example.com')).toContain('/analytics/v1');
    expect(unexpectedAnswer(429, 'https://acme.api.vitally.io/analytics/v1')).toContain('Test again in a minute');
    expect(unexpectedAnswer(503, 'https://acme.api.vitally.io/analytics/v1')).toContain('on its side');
    expect(unexpectedAnswer(302, 'https://acme.api.vitally.io/analytics/v1')).toContain('redirects');
  });

  it('takes the token as pasted, trimmed, without a leading "Basic "', () => {
    expect(cleanToken('  Basic abc123== \n')).toBe('abc123==');
    expect(cleanToken('abc123')).toBe('abc123');
  });
});

describe('workspaces and their tokens', () => {
  let emulator: Emulator;
  let services: Services;
  let dataDir: string;

  const call = async <T>(name: string, args: unknown): Promise<T> => {
    const answer = await services.dispatch(name, args);
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
    return answer.value as T;
  };

  beforeEach(async () => {
    emulator = await startEmulator({ token: 'sk_live_abcdef4f2a' });
  });
  afterEach(async () => {
    await services?.close();
    await emulator.close();
  });

  describe.skipIf(!keychain)('in the OS keychain (a real Secret Service)', () => {
    beforeEach(() => {
      dataDir = tempDir();
      const paths = pathsIn(dataDir);
      services = createServices({ host: 'web', paths, log: createFileLogger(paths.logDir) });
    });

    it('saves, tests, replaces and forgets a token, showing only its last four characters', async () => {
      const saved = await call<Workspace>('saveWorkspace', {
        name: 'Acme',
        address: emulator.baseUrl,
        token: ` Basic ${emulator.config.token} `,
      });
      expect(saved.token).toEqual({ saved: true, lastFour: '4f2a', storage: 'keychain' });
      expect(new KeychainStore().get(saved.id)).toBe(emulator.config.token);
      expect(await call('testConnection', { id: saved.id })).toMatchObject({ outcome: 'not-refused', status: 400 });

      const replaced = await call<Workspace>('saveWorkspace', {
        id: saved.id,
        name: 'Acme',
        address: emulator.baseUrl,
        token: 'wrong-9999',
      });
      expect(replaced.token.lastFour).toBe('9999');
      expect(await call('testConnection', { id: saved.id })).toMatchObject({ outcome: 'refused', status: 401 });

      const forgotten = await call<Workspace>('forgetToken', { id: saved.id });
      expect(forgotten.token).toEqual({ saved: false, lastFour: null, storage: null });
      expect(new KeychainStore().get(saved.id)).toBeNull();
      const untested = await services.dispatch('testConnection', { id: saved.id });
      expect(untested).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    });

    it('never lets the token reach the database, the logs or anything the renderer receives', async () => {
      const answers: unknown[] = [];
      const record = async (name: string, args: unknown) => {
        const answer = await services.dispatch(name, args);
        answers.push(answer);
        return answer;
      };
      const saved = (await record('saveWorkspace', {
        name: 'Acme',
        address: emulator.baseUrl,
        token: emulator.config.token,
      })) as {
        value: Workspace;
      };
      await record('listWorkspaces', {});
      await record('testConnection', { id: saved.value.id });
      await record('saveWorkspace', {
        id: saved.value.id,
        name: 'Acme 2',
        address: 'not a valid address at all!',
        token: emulator.config.token,
      });
      await services.close();

      const token = emulator.config.token;
      expect(JSON.stringify(answers)).not.toContain(token);
      expect(JSON.stringify(answers)).not.toContain(token.slice(0, -4));
      const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      expect(files.map((file) => file.name)).toContain('vitally-importer.sqlite');
      for (const file of files) {
        expect(readFileSync(join(file.parentPath, file.name)).includes(token)).toBe(false);
      }
    });

    it('removes the token from the keychain with its workspace', async () => {
      const saved = await call<Workspace>('saveWorkspace', { name: 'Acme', address: 'acme', token: 'tok-1234' });
      expect(await call('deleteWorkspace', { id: saved.id })).toEqual({ deleted: true });
      expect(new KeychainStore().get(saved.id)).toBeNull();
      expect(await call('listWorkspaces', {})).toEqual([]);
    });
  });

  describe('without a keychain', () => {
    beforeEach(() => {
      dataDir = tempDir();
      services = createServices({
        host: 'web',
        paths: pathsIn(dataDir),
        log: createFileLogger(pathsIn(dataDir).logDir),
        keychain: null,
      });
    });

    it('says so, and keeps a token for this session only when the user accepts that', async () => {
      expect(await call('getKeychainStatus', {})).toEqual({
        available: false,
        problem: 'missing',
        message: expect.stringContaining('Keep the token for this session only') as unknown,
      });
      const refused = await services.dispatch('saveWorkspace', {
        name: 'Acme',
        address: emulator.baseUrl,
        token: 'tok-1234',
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('no keychain') as unknown },
      });
      const saved = await call<Workspace>('saveWorkspace', {
        name: 'Acme',
        address: emulator.baseUrl,
        token: emulator.config.token,
        sessionOnly: true,
      });
      expect(saved.token).toEqual({ saved: true, lastFour: '4f2a', storage: 'session' });
      expect(await call('testConnection', { id: saved.id })).toMatchObject({ outcome: 'not-refused' });
    });

    it('asks for the token again before a saved token goes to a changed address', async () => {
      const attacker = await startEmulator({ token: 'whatever' });
      try {
        const saved = await call<Workspace>('saveWorkspace', {
          name: 'Acme',
          address: emulator.baseUrl,
          token: emulator.config.token,
          sessionOnly: true,
        });
        const moved = await services.dispatch('saveWorkspace', {
          id: saved.id,
          name: 'Acme',
          address: attacker.baseUrl,
        });
        expect(moved).toMatchObject({
          ok: false,
          error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('enter the token again') as unknown },
        });
        expect(await call('testConnection', { id: saved.id })).toMatchObject({ outcome: 'not-refused' });
        expect(attacker.requests).toEqual([]);
        expect(emulator.requests).toHaveLength(1);

        // Renaming, or the same address written another way, keeps the token.
        const renamed = await call<Workspace>('saveWorkspace', {
          id: saved.id,
          name: 'Acme (dry run)',
          address: ` ${emulator.baseUrl}/ `,
        });
        expect(renamed).toMatchObject({ baseUrl: emulator.baseUrl, token: { saved: true, lastFour: '4f2a' } });

        // With the token entered again, the address may change.
        const repointed = await call<Workspace>('saveWorkspace', {
          id: saved.id,
          name: 'Acme',
          address: attacker.baseUrl,
          token: 'whatever',
          sessionOnly: true,
        });
        expect(repointed.baseUrl).toBe(attacker.baseUrl);
      } finally {
        await attacker.close();
      }
    });

    it('reports an address where nothing answers', async () => {
      const saved = await call<Workspace>('saveWorkspace', {
        name: 'Nowhere',
        address: 'http://127.0.0.1:9/analytics/v1',
        token: 't',
        sessionOnly: true,
      });
      expect(await call('testConnection', { id: saved.id })).toMatchObject({ outcome: 'unreachable', status: null });
    });
  });
});

describe('which keychain a token is kept in', () => {
  const probe = (over: Partial<KeychainProbe>): KeychainProbe => ({
    platform: 'linux',
    sessionBus: 'unix:path=/run/user/1000/bus',
    readDurable: () => undefined,
    kernelKeyringAnswers: () => true,
    ...over,
  });
  const noSecretService = () => {
    throw new Error('Platform failure: DBus error: org.freedesktop.DBus.Error.ServiceUnknown');
  };

  it.each<[string, Partial<KeychainProbe>, KeychainStatus['problem'], boolean]>([
    ['a Secret Service answers', {}, null, true],
    ['there is no D-Bus session, so only the kernel keyring', { sessionBus: undefined }, 'not-durable', false],
    ['no Secret Service answers on D-Bus', { readDurable: noSecretService }, 'not-durable', false],
    [
      'neither a Secret Service nor the kernel keyring answers',
      { readDurable: noSecretService, kernelKeyringAnswers: () => false },
      'missing',
      false,
    ],
    ['macOS Keychain answers', { platform: 'darwin', sessionBus: undefined }, null, true],
    ['the Windows Credential Manager does not', { platform: 'win32', readDurable: noSecretService }, 'missing', false],
  ])('on Linux and elsewhere: %s', (_case, over, problem, available) => {
    const status = detectKeychain(probe(over));
    expect(status).toMatchObject({ problem, available });
    if (problem) expect(status.message).toContain('Keep the token for this session only');
  });

  it('never says the kernel keyring keeps a token for good', () => {
    expect(detectKeychain(probe({ sessionBus: undefined })).message).toContain(
      'would forget it when the computer restarts',
    );
  });

  it('tells a locked keychain from one that refuses for another reason', () => {
    expect(
      keychainRefusal(new Error("Couldn't access platform storage: Secret Service: unlock prompt was dismissed")),
    ).toBe('locked');
    expect(keychainRefusal(new Error('User interaction is not allowed.'))).toBe('locked');
    expect(keychainRefusal(new Error("Couldn't access platform storage: Secret Service: no result found"))).toBe(
      'refused',
    );
  });

  describe('against a real keychain, in a child process', () => {
    const TOKEN = 'sk_live_child_7c1e4f2a';
    const running = new Set<ReturnType<typeof spawn>>();
    afterEach(() => {
      for (const child of running) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      running.clear();
    });

    interface Answer<T> {
      ok: boolean;
      value?: T;
      error?: { code: string; message: string };
    }
    interface ChildReport {
      status: Answer<KeychainStatus>;
      session: Answer<Workspace>;
      refused: Answer<Workspace>;
      statusAfter: Answer<KeychainStatus>;
      list: Answer<Workspace[]>;
      kernelKeyring: string | null;
      tokenInFiles: boolean;
    }

    /** Runs test/support/keychain-child.ts under `prefix`; its process group is killed if the test ends first. */
    const runChild = async (prefix: string[], mode: string, env: NodeJS.ProcessEnv): Promise<ChildReport> => {
      const script = join(PROJECT_DIR, 'test', 'support', 'keychain-child.ts');
      const [command = process.execPath, ...args] = [...prefix, process.execPath, script, mode, TOKEN];
      const child = spawn(command, args, { cwd: PROJECT_DIR, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('exit', resolve);
        child.once('error', reject);
      });
      if (code !== 0) throw new Error(`The child process failed (${code}):\n${stderr}`);
      return JSON.parse(stdout) as ChildReport;
    };

    it.skipIf(process.platform !== 'linux')(
      'without a D-Bus session, keeps nothing in the kernel keyring and offers this session only',
      async () => {
        const env = { ...process.env };
        delete env.DBUS_SESSION_BUS_ADDRESS;
        const report = await runChild([], 'as-is', env);
        expect(report.status.value).toMatchObject({ available: false });
        expect(['not-durable', 'missing']).toContain(report.status.value?.problem);
        expect(report.refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
        expect(report.refused.error?.message).toContain('Keep the token for this session only');
        expect(report.kernelKeyring).toBeNull();
        expect(report.list.value?.[0]?.token).toEqual({ saved: true, lastFour: '4f2a', storage: 'session' });
        expect(report.tokenInFiles).toBe(false);
      },
      30_000,
    );

    it.skipIf(!privateKeychain)(
      'with the keychain locked, says so, offers this session only and keeps the token the workspace had',
      async () => {
        const env = { ...process.env };
        delete env.VITALLY_KEYCHAIN_READY;
        const report = await runChild(['bash', join(PROJECT_DIR, 'test', 'with-keychain.sh')], 'lock', env);
        expect(report.status.value).toEqual({ available: true, problem: null, message: null });
        expect(report.refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
        expect(report.refused.error?.message).toContain('Your keychain is locked');
        expect(report.statusAfter.value).toMatchObject({ available: true, problem: 'locked' });
        expect(report.statusAfter.value?.message).toContain('Keep the token for this session only');
        expect(report.list.value?.[0]?.token).toEqual({ saved: true, lastFour: '4f2a', storage: 'session' });
        expect(report.tokenInFiles).toBe(false);
      },
      30_000,
    );
  });
});

describe('the log', () => {
  const TOKEN = 'sk_live_logged_91c3e0b7';

  /** A keychain that refuses with an error quoting the token, as one error path did. */
  class LeakyKeychain implements SecretStore {
    readonly kind = 'keychain';
    get(): string | null {
      return null;
    }
    set(_account: string, secret: string): void {
      throw new Error(`could not store "${secret}"`);
    }
    delete(): void {}
  }

  it('never receives a token, even in an error message that quotes it', async () => {
    const dataDir = tempDir();
    const paths = pathsIn(dataDir);
    const services = createServices({
      host: 'web',
      paths,
      log: createFileLogger(paths.logDir),
      keychain: new LeakyKeychain(),
    });
    try {
      const refused = await services.dispatch('saveWorkspace', { name: 'Acme', address: 'acme', token: TOKEN });
      expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(await services.dispatch('getKeychainStatus', {})).toMatchObject({
        ok: true,
        value: { available: true, problem: 'refused' },
      });
    } finally {
      await services.close();
    }
    const log = readFileSync(join(paths.logDir, 'main.log'), 'utf8');
    expect(log).toContain('the keychain refused a token');
    expect(log).toContain('could not store \\"[redacted]\\"');
    expect(log).not.toContain(TOKEN);
  });

  it('scrubs registered tokens and written-out credentials from every field, message and stack', () => {
    const dir = tempDir();
    const token = 'sk_live_registered_5e8d';
    registerSecret(token);
    const log = createFileLogger(dir);
    const error = new Error(`Vitally refused ${token}`, { cause: new Error(`retrying with ${token}`) });
    log.error(`request with ${token} failed`, {
      error,
      detail: { headers: `Authorization: Basic dW5yZWdpc3RlcmVkOjEyMw==` },
      note: 'Bearer abcdefgh12345678 was sent',
      words: 'Basic information stays readable',
    });
    const line = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(line).not.toContain(token);
    expect(line).not.toContain('dW5yZWdpc3RlcmVkOjEyMw');
    expect(line).not.toContain('abcdefgh12345678');
    expect(line).toContain('Basic information stays readable');
    const entry = JSON.parse(line) as { message: string; error: { message: string; stack: string; cause: unknown } };
    expect(entry.message).toBe('request with [redacted] failed');
    expect(entry.error.message).toBe('Vitally refused [redacted]');
    expect(entry.error.stack).toContain('Vitally refused [redacted]');
    expect(entry.error.cause).toMatchObject({ message: 'retrying with [redacted]' });
  });
});
