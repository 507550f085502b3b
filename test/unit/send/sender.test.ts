import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Sender,
  retryAfterMs,
  type Batch,
  type Outcome,
  type SenderOptions,
  type SenderStatus,
} from '../../../app/send/index.ts';
import { startEmulator, type Emulator } from '../../emulator/server.ts';

const TS = '2026-11-23T10:00:00.000Z';

function userMessage(id: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'user',
    userId: `u${id}`,
    accountId: 'A1',
    traits: { n: id },
    messageId: `m${id}`,
    timestamp: TS,
    ...extra,
  });
}

/** `count` batches of `size` user messages, numbered from 0. */
function batches(count: number, size: number): Batch[] {
  return Array.from({ length: count }, (_, b) => ({
    id: String(b),
    messages: Array.from({ length: size }, (_, i) => userMessage(b * size + i)),
    types: Array.from({ length: size }, () => 'user'),
  }));
}

let emulator: Emulator;

/** A sender with a virtual clock: waits are recorded and pass at once, so tests never sleep. */
function sender(options: Partial<SenderOptions> = {}) {
  let time = 1_000_000;
  const waits: number[] = [];
  const outcomes = new Map<string, Outcome>();
  const statuses: SenderStatus[] = [];
  const splits: string[] = [];
  const instance = new Sender({
    baseUrl: emulator.baseUrl,
    token: emulator.config.token,
    now: () => time,
    sleep: (ms) => {
      waits.push(ms);
      time += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    hooks: {
      onOutcome: (batch, outcome) => outcomes.set(batch.id, outcome),
      onStatus: (status) => statuses.push(status),
      onSplit: (batch) => splits.push(batch.id),
    },
    ...options,
  });
  return { instance, waits, outcomes, statuses, splits };
}

/** Resolves when the emulator receives its `count`th request from now on, having done `then` at that moment. */
const onArrival = (count: number, then: () => void) =>
  new Promise<void>((resolve) => {
    let arrived = 0;
    const stop = emulator.onRequest(() => ++arrived === count && (stop(), then(), resolve()));
  });
const appliedUsers = () => [...emulator.state.users.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

describe('the sender, against the Vitally emulator', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('delivers every batch once, and says it has finished', async () => {
    const { instance, outcomes, statuses } = sender();
    await instance.run(batches(10, 100));
    expect(outcomes.size).toBe(10);
    expect([...outcomes.values()].every((o) => o.kind === 'accepted')).toBe(true);
    expect(emulator.state.users.size).toBe(1000);
    expect(emulator.state.duplicates).toBe(0);
    expect(statuses.at(-1)).toEqual({ kind: 'finished' });
  });

  it('raises concurrency while all goes well, up to 8, and halves it when Vitally slows it down', async () => {
    const { instance } = sender();
    expect(instance.concurrency).toBe(2);
    await instance.run(batches(60, 5));
    expect(instance.concurrency).toBe(8);
    emulator.fault({ kind: 'status', status: 429, retryAfterSeconds: 1 });
    await instance.run(batches(1, 1).map((b) => ({ ...b, id: 'extra' })));
    expect(instance.concurrency).toBeLessThanOrEqual(5);
  });

  it('waits as long as Retry-After says (seconds or a date), or RateLimit-Reset, then sends again', async () => {
    emulator.fault({ kind: 'status', status: 429, retryAfterSeconds: 12 });
    const { instance, waits, statuses, outcomes } = sender({ initialConcurrency: 1 });
    await instance.run(batches(2, 3));
    expect(waits).toEqual([12_000]);
    expect(statuses).toContainEqual({ kind: 'waiting', reason: 'rate-limited', untilMs: 1_012_000 });
    expect(outcomes.size).toBe(2);
    expect(emulator.state.users.size).toBe(6);

    const headers = (pairs: Record<string, string>) => new Headers(pairs);
    expect(
      retryAfterMs(headers({ 'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT' }), Date.parse('2026-11-23T10:00:00Z')),
    ).toBe(30_000);
    expect(retryAfterMs(headers({ 'ratelimit-reset': '7' }), 0)).toBe(7000);
    expect(retryAfterMs(headers({}), 0)).toBeNull();
  });

  it('keeps within a rate limit that answers 429 with headers', async () => {
    emulator.configure({ rateLimit: { requests: 3, windowMs: 60_000, retryAfter: 'seconds', rateLimitHeaders: true } });
    const { instance, waits, outcomes } = sender();
    const run = instance.run(batches(5, 2));
    // The emulator's window is real time; let it pass once the sender has been told to wait.
    await expect.poll(() => waits.length > 0).toBe(true);
    emulator.configure({ rateLimit: null });
    await run;
    expect(waits[0]).toBeGreaterThanOrEqual(59_000);
    expect(outcomes.size).toBe(5);
    expect(emulator.state.users.size).toBe(10);
  });

  it('backs off exponentially with full jitter on 5xx, then succeeds', async () => {
    emulator.fault({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 503 });
    const { instance, waits, outcomes } = sender({ initialConcurrency: 1, random: () => 0.5 });
    await instance.run(batches(1, 4));
    expect(waits).toEqual([500, 1000, 2000]); // half of 1 s, 2 s, 4 s
    expect(outcomes.get('0')).toEqual({ kind: 'accepted', status: 200 });
  });

  it('never follows a redirect: a login page answering 200 is not an acceptance', async () => {
    // An address that redirects (a login page, a moved proxy): fetch would follow it with a GET that answers 200.
    const posted: string[] = [];
    let redirects = 1;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && redirects > 0) {
          redirects -= 1;
          res.writeHead(302, { Location: '/login' }).end();
        } else if (req.method === 'POST') {
          posted.push(body);
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        } else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Log in</h1>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { instance, statuses, outcomes } = sender({ baseUrl: `http://127.0.0.1:${port}`, initialConcurrency: 1 });
      await instance.run(batches(1, 2));
      expect(statuses).toContainEqual(expect.objectContaining({ kind: 'waiting', reason: 'redirected' }));
      expect(outcomes.get('0')?.kind).toBe('accepted');
      // Accepted only once the batch itself reached a server that took it.
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain('"messageId":"m0"');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('caps the backoff at 60 s', async () => {
    emulator.fault(...Array.from({ length: 9 }, () => ({ kind: 'status' as const, status: 503 })));
    const { instance, waits } = sender({ initialConcurrency: 1, random: () => 0.999 });
    await instance.run(batches(1, 1));
    expect(Math.max(...waits)).toBeLessThan(60_000);
    expect(waits.at(-1)).toBeGreaterThan(59_000);
  });

  it('retries a request that is never answered, and a connection reset mid-response, with the same messages', async () => {
    emulator.fault({ kind: 'hang' }, { kind: 'reset' });
    const { instance, statuses, outcomes } = sender({ initialConcurrency: 1, timeoutMs: 200 });
    await instance.run(batches(1, 3));
    expect(statuses.filter((s) => s.kind === 'waiting').map((s) => (s as { reason: string }).reason)).toEqual([
      'timeout',
      'connection',
    ]);
    expect(outcomes.get('0')?.kind).toBe('accepted');
    expect(appliedUsers()).toEqual(['u0', 'u1', 'u2']);
  });

  it('bisects a batch Vitally refuses, to find the messages it refuses and send the rest', async () => {
    const batch = batches(1, 8)[0] as Batch;
    const bad = {
      ...batch,
      messages: batch.messages.map((m, i) => (i === 2 || i === 7 ? userMessage(i, { accountId: undefined }) : m)),
    };
    const { instance, outcomes, splits } = sender({ initialConcurrency: 1 });
    await instance.run([bad]);
    const rejected = [...outcomes].filter(([, o]) => o.kind === 'rejected');
    expect(rejected.map(([id]) => id).sort()).toEqual(['0.1.2.1', '0.2.2.2']);
    expect(rejected[0]?.[1]).toMatchObject({
      status: 400,
      reason: expect.stringContaining('accountId or organizationId is required') as unknown,
    });
    expect(appliedUsers()).toEqual(['u0', 'u1', 'u3', 'u4', 'u5', 'u6']);
    expect(splits[0]).toBe('0');
  });

  it('pauses on 401 and asks for a token, losing nothing, then carries on with the new one', async () => {
    const { instance, statuses, outcomes } = sender({ token: 'revoked' });
    const run = instance.run(batches(4, 2));
    await expect.poll(() => statuses.some((s) => s.kind === 'paused' && s.reason === 'token')).toBe(true);
    expect(emulator.state.users.size).toBe(0);
    instance.setToken(emulator.config.token);
    await run;
    expect(outcomes.size).toBe(4);
    expect(emulator.state.users.size).toBe(8);
  });

  it('does not stop again for a request the old token made, answered after the new token came', async () => {
    // Two requests go out with the revoked token: the first is refused at once, the second only later.
    emulator.fault({ kind: 'status', status: 401 }, { kind: 'delay', ms: 400 });
    const { instance, statuses, outcomes } = sender({ token: 'revoked', initialConcurrency: 2 });
    const run = instance.run(batches(4, 2));
    await expect.poll(() => statuses.some((s) => s.kind === 'paused' && s.reason === 'token')).toBe(true);
    instance.setToken(emulator.config.token);
    await run;
    expect(statuses.filter((s) => s.kind === 'paused')).toHaveLength(1);
    expect(outcomes.size).toBe(4);
    expect(emulator.state.users.size).toBe(8);
  });

  it('stays paused when Vitally asks it to slow down after the pause, and tells of the wait on resuming', async () => {
    emulator.configure({ latencyMs: 100 });
    emulator.fault({ kind: 'status', status: 429, retryAfterSeconds: 3 });
    const { instance, statuses, outcomes } = sender({ initialConcurrency: 1 });
    const run = instance.run(batches(2, 2));
    await expect.poll(() => statuses.some((s) => s.kind === 'sending')).toBe(true);
    instance.pause();
    await expect.poll(() => emulator.requests.some((r) => r.status === 429)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(statuses.at(-1)).toEqual({ kind: 'paused', reason: 'user', inFlight: 0 });
    instance.resume();
    await run;
    // Paused while one request was on its way; paused for good once it was answered (with a 429); then resumed.
    expect(statuses.slice(statuses.findIndex((s) => s.kind === 'paused') + 1).map((s) => s.kind)).toEqual([
      'paused',
      'waiting',
      'sending',
      'sending',
      'finished',
    ]);
    expect(outcomes.size).toBe(2);
  });

  it('holds back batches with a blocked type and sends the others', async () => {
    emulator.configure({ blockedTypes: ['track'] });
    const track = JSON.stringify({
      type: 'track',
      userId: 'u1',
      event: 'e',
      properties: {},
      messageId: 't1',
      timestamp: TS,
    });
    const mixed: Batch = { id: 'mixed', messages: [userMessage(100), track], types: ['user', 'track'] };
    const { instance, statuses, outcomes } = sender({ initialConcurrency: 1 });
    await instance.run([mixed, ...batches(2, 2)]);
    expect(statuses.at(-1)).toEqual({ kind: 'holding', blockedTypes: ['track'] });
    expect(instance.held.map((b) => b.id)).toEqual(['mixed']);
    expect([...outcomes.keys()].sort()).toEqual(['0', '1']);
    // Once Vitally unblocks the type, a later run (a resume: a new sender over the journal's pending batches)
    // sends what was held.
    emulator.configure({ blockedTypes: [] });
    const later = sender({ initialConcurrency: 1 });
    await later.instance.run(instance.held);
    expect(later.outcomes.get('mixed')?.kind).toBe('accepted');
  });

  it('pauses and resumes at any moment, and cancels', async () => {
    const { instance, outcomes, statuses } = sender({ initialConcurrency: 1 });
    instance.pause();
    const run = instance.run(batches(3, 1));
    await expect.poll(() => statuses.some((s) => s.kind === 'paused' && s.reason === 'user')).toBe(true);
    expect(emulator.requests.length).toBe(0);
    instance.resume();
    await run;
    expect(outcomes.size).toBe(3);

    // Cancel sends nothing more but waits for the answer to what is already on its way, so that what Vitally
    // received is recorded; a request never answered ends at its timeout with its outcome unknown.
    emulator.fault({ kind: 'hang' });
    const unsettled: string[] = [];
    const second = sender({
      initialConcurrency: 1,
      timeoutMs: 300,
      hooks: {
        onOutcome: (batch) => unsettled.push(`outcome ${batch.id}`),
        onUnsettled: (batch, how) => unsettled.push(`${how} ${batch.id}`),
        onStatus: (status) => statuses.push(status),
      },
    });
    const cancelled = second.instance.run(batches(3, 1));
    await expect.poll(() => emulator.requests.length).toBe(4);
    second.instance.cancel();
    await cancelled;
    expect(statuses.at(-2)).toEqual({ kind: 'cancelling', inFlight: 1 });
    expect(statuses.at(-1)).toEqual({ kind: 'cancelled' });
    expect(unsettled).toEqual(['unknown 0']);
    expect(emulator.requests.length).toBe(4);
  });

  it('on Cancel, waits for the answers to requests already sent and records each, sending nothing more', async () => {
    emulator.configure({ latencyMs: 150 });
    const { instance, outcomes, statuses } = sender({ initialConcurrency: 3 });
    const run = instance.run(batches(10, 2));
    // Cancel as the third request arrives, before any is answered.
    await onArrival(3, () => instance.cancel());
    await run;
    // Every request Vitally received has its outcome recorded, and nothing was sent after the Cancel.
    expect(emulator.requests.length).toBe(3);
    expect(outcomes.size).toBe(3);
    expect(emulator.state.users.size).toBe(6);
    expect(statuses.at(-1)).toEqual({ kind: 'cancelled' });
  });

  it('on Pause, says it is pausing until the requests already sent are answered, then that it has paused', async () => {
    emulator.configure({ latencyMs: 150 });
    const { instance, outcomes, statuses } = sender({ initialConcurrency: 2 });
    const run = instance.run(batches(6, 2));
    await onArrival(2, () => instance.pause());
    expect(statuses.at(-1)).toEqual({ kind: 'paused', reason: 'user', inFlight: 2 });
    await expect.poll(() => statuses.at(-1)).toEqual({ kind: 'paused', reason: 'user', inFlight: 0 });
    expect(outcomes.size).toBe(2);
    expect(emulator.requests.length).toBe(2);
    instance.resume();
    await run;
    expect(outcomes.size).toBe(6);
  });
});
