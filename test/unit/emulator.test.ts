import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server.ts';

// The example batch of Vitally's batch API documentation (a copy of the shared conformance file).
const DOC_BATCH = JSON.parse(
  readFileSync(new URL('../fixtures/vitally-doc-batch.json', import.meta.url), 'utf8'),
) as unknown[];
const TS = '2026-11-23T10:00:00.000Z';

let emulator: Emulator;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.baseUrl}/${path}`, {
    method: 'POST',
    headers: { Authorization: `Basic ${emulator.config.token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const user = (userId: string, extra: Record<string, unknown> = {}) => ({
  type: 'user',
  userId,
  accountId: 'A1',
  traits: { name: `User ${userId}` },
  messageId: `m-${userId}`,
  timestamp: TS,
  ...extra,
});

describe('the Vitally emulator', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('accepts the documentation’s example batch and applies every message', async () => {
    expect(await post('batch', DOC_BATCH)).toMatchObject({ status: 200, body: { message: 'Success.' } });
    const state = emulator.state;
    expect(state.organizations.get('abcdefg')?.traits).toEqual({ name: 'World Cup', sport: 'futbol' });
    expect(state.accounts.get('123456')).toMatchObject({ organizationId: 'abcdefg', traits: { name: 'Argentina' } });
    expect(state.users.get('32')).toMatchObject({ accountIds: ['123456'], organizationIds: ['abcdefg'] });
    expect(state.tracks).toMatchObject([{ event: 'scored-goal', userId: '32', accountId: '123456' }]);
    expect(state.customObjectInstances.get('2a3a47e7-459e-440e-b9d3-9fc1b11f233e/coi-789xyz')).toMatchObject({
      name: 'Q1 Renewal - Argentina',
    });
  });

  it('serves every endpoint by POST only, and nothing else', async () => {
    for (const type of ['user', 'account', 'organization', 'track', 'unlink', 'customobjectinstance']) {
      const message = DOC_BATCH.find((m) => (m as { type: string }).type === type) ?? {
        userId: '32',
        accountId: '123456',
        timestamp: TS,
      };
      expect((await post(type, message)).status).toBe(200);
    }
    expect((await post('identify', {})).status).toBe(404);
    expect((await fetch(`${emulator.baseUrl}/batch`)).status).toBe(405);
  });

  it('refuses a missing or wrong token with 401, and takes the token exactly as given', async () => {
    expect((await post('batch', [user('1')], { Authorization: 'Basic wrong' })).status).toBe(401);
    expect((await post('batch', [user('1')], { Authorization: '' })).status).toBe(401);
    const encoded = Buffer.from(`${emulator.config.token}:`).toString('base64');
    expect((await post('batch', [user('1')], { Authorization: `Basic ${encoded}` })).status).toBe(401);
    emulator.configure({ acceptBase64Token: true });
    expect((await post('batch', [user('1')], { Authorization: `Basic ${encoded}` })).status).toBe(200);
  });

  it.each([
    [
      'a user without accountId or organizationId',
      { ...user('1'), accountId: undefined },
      'accountId or organizationId is required',
    ],
    ['a user without traits', { ...user('1'), traits: undefined }, 'traits is required'],
    [
      'a message with neither timestamp nor messageId',
      { ...user('1'), timestamp: undefined, messageId: undefined },
      'timestamp or messageId',
    ],
    ['a bad timestamp', { ...user('1'), timestamp: '23/11/2026' }, 'ISO 8601'],
    ['a track without event', { type: 'track', userId: '1', properties: {}, timestamp: TS }, 'event is required'],
    [
      'a track without any id',
      { type: 'track', event: 'x', properties: {}, timestamp: TS },
      'userId, accountId or organizationId',
    ],
    ['an unlink without accountId', { type: 'unlink', userId: '1', timestamp: TS }, 'accountId is required'],
    ['an unknown type', { ...user('1'), type: 'identify' }, 'type must be one of'],
  ])('rejects a batch holding %s with 400, applying nothing', async (_label, bad, reason) => {
    const answer = await post('batch', [user('ok'), bad]);
    expect(answer.status).toBe(400);
    expect(String(answer.body.error)).toContain(reason);
    expect(emulator.state.users.size).toBe(0);
  });

  it('can drop invalid messages and apply the rest instead (unknown §9.4)', async () => {
    emulator.configure({ partialAccept: true });
    expect((await post('batch', [user('ok'), { ...user('bad'), traits: undefined }])).status).toBe(200);
    expect([...emulator.state.users.keys()]).toEqual(['ok']);
  });

  it('limits a batch to 100 messages and a body to its size limit (413)', async () => {
    const many = Array.from({ length: 101 }, (_, i) => user(String(i)));
    expect((await post('batch', many)).status).toBe(400);
    expect((await post('batch', many.slice(0, 100))).status).toBe(200);
    emulator.configure({ maxBodyBytes: 1000 });
    expect((await post('batch', many.slice(0, 20))).status).toBe(413);
  });

  it('answers an empty batch as configured (the app’s connection test)', async () => {
    expect((await post('batch', [])).status).toBe(400);
    emulator.configure({ emptyBatch: 'accept' });
    expect((await post('batch', [])).status).toBe(200);
  });

  it('refuses blocked types: the endpoint, and a whole batch or just those messages (unknown §9.5)', async () => {
    emulator.configure({ blockedTypes: ['user'] });
    expect(await post('user', user('1'))).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('blocked') as unknown },
    });
    const account = { type: 'account', accountId: 'A9', traits: { name: 'Acme' }, timestamp: TS };
    expect((await post('batch', [account, user('1')])).status).toBe(400);
    emulator.configure({ blockedInBatch: 'drop' });
    expect((await post('batch', [account, user('1')])).status).toBe(200);
    expect([...emulator.state.accounts.keys()]).toEqual(['A9']);
    expect(emulator.state.users.size).toBe(0);
  });

  it('applies a messageId once, however often it is sent', async () => {
    await post('batch', [user('1'), user('2')]);
    await post('batch', [user('1', { traits: { name: 'Changed' } }), user('3')]);
    expect(emulator.state.applied.map((m) => m.messageId)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(emulator.state.duplicates).toBe(1);
    expect(emulator.state.users.get('1')?.traits).toEqual({ name: 'User 1' });
  });

  it('merges traits, clears one sent as null, creates a named account and links and unlinks users', async () => {
    await post('batch', [user('1', { traits: { name: 'Ana', plan: 'pro' } })]);
    expect(emulator.state.accounts.get('A1')).toMatchObject({ placeholder: true });
    await post('batch', [user('1', { messageId: 'm-1b', traits: { plan: null, seats: 3 } })]);
    expect(emulator.state.users.get('1')?.traits).toEqual({ name: 'Ana', seats: 3 });
    await post('unlink', { userId: '1', accountId: 'A1', messageId: 'u-1' });
    expect(emulator.state.users.get('1')?.accountIds).toEqual([]);
  });

  it('answers 429 with Retry-After and RateLimit headers past its rate limit', async () => {
    emulator.configure({ rateLimit: { requests: 2, windowMs: 60_000, retryAfter: 'seconds', rateLimitHeaders: true } });
    expect((await post('batch', [user('1')])).status).toBe(200);
    expect((await post('batch', [user('2')])).status).toBe(200);
    const limited = await post('batch', [user('3')]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(emulator.state.users.has('3')).toBe(false);
  });

  it('injects 5xx, a connection reset mid-response and a request never answered', async () => {
    emulator.fault({ kind: 'status', status: 503, retryAfterSeconds: 2 }, { kind: 'reset' }, { kind: 'hang' });
    const unavailable = await post('batch', [user('1')]);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    await expect(post('batch', [user('1')])).rejects.toThrow();
    const hung = new Promise<string>((resolve) => {
      const req = request(`${emulator.baseUrl}/batch`, {
        method: 'POST',
        headers: { Authorization: `Basic ${emulator.config.token}`, 'Content-Type': 'application/json' },
      });
      req.setTimeout(300, () => {
        req.destroy();
        resolve('timed out');
      });
      req.on('response', () => resolve('answered'));
      req.on('error', () => undefined);
      req.end(JSON.stringify([user('1')]));
    });
    expect(await hung).toBe('timed out');
    expect(emulator.state.users.size).toBe(0);
    expect((await post('batch', [user('1')])).status).toBe(200);
  });

  it('can be inspected, reconfigured and reset over HTTP (for tests in another process)', async () => {
    const base = `http://127.0.0.1:${emulator.port}/__emulator`;
    await post('batch', [user('1')]);
    const state = (await (await fetch(`${base}/state`)).json()) as {
      users: Record<string, unknown>;
      config: { token?: string };
    };
    expect(Object.keys(state.users)).toEqual(['1']);
    expect(state.config.token).toBeUndefined();
    await fetch(`${base}/config`, { method: 'POST', body: JSON.stringify({ blockedTypes: ['user'] }) });
    expect((await post('batch', [user('2')])).status).toBe(400);
    await fetch(`${base}/reset`, { method: 'POST' });
    expect(emulator.state.users.size).toBe(0);
  });
});
