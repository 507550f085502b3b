import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchThroughPort, serveFetchOnPort, type FetchLike } from '../../../app/send/fetch-port.ts';

/** A worker's `fetch` answered by main's `fetch`, over one channel, as the desktop app's send worker uses it. */
function bridged(hostFetch: FetchLike) {
  const { port1, port2 } = new MessageChannel();
  const stop = serveFetchOnPort(port1, hostFetch);
  const workerFetch = fetchThroughPort(port2);
  return { workerFetch, close: () => (stop(), port2.close()) };
}

describe("requests made by the host's fetch, from a worker", () => {
  const open: (() => void)[] = [];
  afterEach(() => open.splice(0).forEach((close) => close()));

  it('carries the method, headers and body out, and the status, headers and text back', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const { workerFetch, close } = bridged((url, init) => {
      seen.push({ url, init });
      return Promise.resolve(
        new Response('{"error":"Message 0: userId is missing"}', {
          status: 400,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '3' },
        }),
      );
    });
    open.push(close);
    const response = await workerFetch('https://acme.rest.vitally.io/analytics/v1/batch', {
      method: 'POST',
      headers: { Authorization: 'Basic c2VjcmV0', 'Content-Type': 'application/json' },
      body: '[{"type":"user"}]',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.text()).toBe('{"error":"Message 0: userId is missing"}');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://acme.rest.vitally.io/analytics/v1/batch');
    expect(seen[0]?.init).toMatchObject({ method: 'POST', body: '[{"type":"user"}]' });
    expect(new Headers(seen[0]?.init.headers).get('authorization')).toBe('Basic c2VjcmV0');
  });

  it('never follows a redirect the sender does not follow, and says an opaque one as a redirect', async () => {
    const seen: RequestInit[] = [];
    const { workerFetch, close } = bridged((_url, init) => {
      seen.push(init);
      // What a browser-like fetch answers to a redirect it was told not to follow.
      return Promise.resolve(
        Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' }),
      );
    });
    open.push(close);
    const response = await workerFetch('https://x.example/analytics/v1/batch', {
      method: 'POST',
      body: '[]',
      redirect: 'manual',
    });
    expect(seen[0]?.redirect).toBe('manual');
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
  });

  it('answers a status without a body', async () => {
    const { workerFetch, close } = bridged(() => Promise.resolve(new Response(null, { status: 204 })));
    open.push(close);
    const response = await workerFetch('https://x.example/', { method: 'POST', body: '[]' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('fails as fetch fails when the host cannot reach Vitally', async () => {
    const { workerFetch, close } = bridged(() => Promise.reject(new Error('net::ERR_PROXY_CONNECTION_FAILED')));
    open.push(close);
    await expect(workerFetch('https://x.example/', { method: 'POST' })).rejects.toThrow(
      /fetch failed: net::ERR_PROXY_CONNECTION_FAILED/,
    );
  });

  it('aborts the host’s request when the worker gives up on it (a timeout, Cancel)', async () => {
    let hostSignal: AbortSignal | undefined;
    let started: () => void = () => undefined;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const { workerFetch, close } = bridged((_url, init) => {
      hostSignal = init.signal ?? undefined;
      started();
      return new Promise<Response>((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    });
    open.push(close);
    const controller = new AbortController();
    const answer = workerFetch('https://x.example/', { method: 'POST', signal: controller.signal });
    await startedPromise;
    const aborted = new Promise<void>((resolve) => hostSignal?.addEventListener('abort', () => resolve()));
    controller.abort(new Error('timeout'));
    await expect(answer).rejects.toThrow('timeout');
    await aborted;
    expect(hostSignal?.aborted).toBe(true);
  });
});
