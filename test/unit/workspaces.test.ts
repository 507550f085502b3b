import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../app/contract.ts';
import { cleanToken, parseWorkspaceAddress } from '../../app/send/address.ts';
import { createFileLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { KeychainStore } from '../../main/services/secrets.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { tempDir } from '../support/temp.ts';

const keychain = KeychainStore.available();
if (!keychain) console.log('Keychain tests skipped: no Secret Service here (npm test provides one on Linux).');

describe('workspace addresses', () => {
  it.each([
    ['acme', 'https://acme.api.vitally.io/analytics/v1'],
    ['  Acme ', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.vitally.io/accounts/123', 'https://acme.api.vitally.io/analytics/v1'],
    ['acme.vitally.io', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.api.vitally.io/analytics/v1/', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://api.vitally-eu.io/analytics/v1', 'https://api.vitally-eu.io/analytics/v1'],
    ['http://127.0.0.1:8787/analytics/v1', 'http://127.0.0.1:8787/analytics/v1'],
  ])('%j is sent to %s', (input, baseUrl) => {
    expect(parseWorkspaceAddress(input)).toMatchObject({ ok: true, baseUrl });
  });

  it.each([
    ['', 'Enter your Vitally subdomain'],
    ['http://proxy.example.com/analytics/v1', 'Only addresses on this computer may use http://'],
    ['https://user:secret@proxy.example.com', 'Put the token in the token field'],
    ['ftp://acme', 'is not a web address'],
  ])('%j is refused with a reason', (input, message) => {
    const result = parseWorkspaceAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
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
      expect(await call('getKeychainStatus', {})).toEqual({ available: false });
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
