import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { SESSION_COOKIE, startWebHost, type WebHost } from '../../main/web/server.ts';
import { tempDir } from '../support/temp.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send the headers a browser would never let a page forge. */
function send(
  host: WebHost,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the loopback web host', () => {
  let services: Services;
  let host: WebHost;
  let cookie: string;

  beforeEach(async () => {
    const dir = tempDir();
    const rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Vitally Importer</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'outside.txt'), 'private');
    const log = createMemoryLogger();
    services = createServices({ host: 'web', paths: pathsIn(join(dir, 'data')), log });
    host = await startWebHost({
      dispatch: services.dispatch,
      bus: services.bus,
      receiveUpload: (name, size, body) => services.files.receiveUpload(name, size, body),
      log,
      rendererDir,
    });
    cookie = `${SESSION_COOKIE}=${host.secret}`;
  });

  afterEach(async () => {
    await host.close();
    await services.close();
  });

  const call = (name: string, body: string, headers: Record<string, string> = {}) =>
    send(host, {
      method: 'POST',
      path: `/api/call/${name}`,
      headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
      body,
    });

  it('listens on 127.0.0.1 only, with a long random secret per launch', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.secret.length).toBeGreaterThanOrEqual(40);
    expect(host.url).toBe(`${host.origin}/?secret=${host.secret}`);
  });

  it('trades the secret in the printed URL for a same-site, script-proof cookie and drops it from the address', async () => {
    const answer = await send(host, { path: `/?secret=${host.secret}` });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['set-cookie']?.[0]).toBe(`${cookie}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it('serves the renderer with the strict CSP to a request that carries the secret', async () => {
    const answer = await send(host, { headers: { Cookie: cookie } });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Vitally Importer</title>');
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect((await send(host, { path: '/assets/app.js', headers: { Cookie: cookie } })).status).toBe(200);
  });

  it.each([
    ['the page', { path: '/' }],
    ['an asset', { path: '/assets/app.js' }],
    [
      'a call',
      { method: 'POST', path: '/api/call/getAppInfo', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    ],
    ['the event stream', { path: '/api/events' }],
  ])('refuses %s without the secret', async (_label, options) => {
    const answer = await send(host, options);
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain(host.secret);
  });

  it('refuses a wrong secret, in the cookie or in the URL', async () => {
    expect((await send(host, { headers: { Cookie: `${SESSION_COOKIE}=guess` } })).status).toBe(401);
    expect((await send(host, { path: '/?secret=guess' })).status).toBe(401);
  });

  it.each(['evil.example', `evil.example:${0}`, 'localhost.evil.example', '127.0.0.1'])(
    'refuses a request addressed to a foreign Host (%s), even with the secret',
    async (hostHeader) => {
      const answer = await send(host, { headers: { Cookie: cookie, Host: hostHeader } });
      expect(answer.status).toBe(403);
    },
  );

  it.each(['https://evil.example', 'null', 'http://127.0.0.1:1'])(
    'refuses a call from a foreign Origin (%s), even with the secret',
    async (origin) => {
      const answer = await call('updateSettings', '{"theme":"dark"}', { Origin: origin });
      expect(answer.status).toBe(403);
      expect(await services.dispatch('getSettings', {})).toEqual({
        ok: true,
        value: { theme: 'system', workspaceId: null },
      });
    },
  );

  it('refuses a cross-site fetch', async () => {
    const answer = await call('getAppInfo', '{}', { 'Sec-Fetch-Site': 'cross-site' });
    expect(answer.status).toBe(403);
  });

  it('answers a call from its own origin through the contract', async () => {
    const answer = await call('updateSettings', '{"theme":"dark"}', { Origin: host.origin });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: { theme: 'dark', workspaceId: null } });
  });

  it('answers a malformed argument with a typed validation error', async () => {
    const answer = await call('updateSettings', '{"theme":"purple"}');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'theme' }] },
    });
  });

  it('answers JSON that does not parse, an unknown call and a wrong method with typed errors', async () => {
    const broken = await call('updateSettings', '{"theme":');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const unknown = await call('dropDatabase', '{}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect((await send(host, { path: '/api/call/getAppInfo', headers: { Cookie: cookie } })).status).toBe(405);
    expect((await call('getAppInfo', '{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
  });

  it('refuses a request body over 1 MB', async () => {
    const answer = await call('updateSettings', JSON.stringify({ theme: 'x'.repeat(1024 * 1024 + 1) }));
    expect(answer.status).toBe(413);
  });

  it.each(['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/%E0%A4%A'])(
    'never serves a file outside the renderer (%s)',
    async (path) => {
      const answer = await send(host, { path, headers: { Cookie: cookie } });
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('private');
    },
  );

  it('streams main’s events to the page as server-sent events', async () => {
    const frames = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Cookie: cookie } },
        (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': connected')) void services.dispatch('updateSettings', { theme: 'light' });
            if (text.includes('event: settingsChanged')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(frames).toContain('event: settingsChanged\ndata: {"theme":"light","workspaceId":null}\n\n');
  });
});
