import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services } from '../../main/services/index.ts';
import { startWebHost, type WebHost } from '../../main/web/server.ts';
import { tempDir } from '../support/temp.ts';
import { openSession, send, type OpenedSession } from '../support/web-session.ts';

describe('the loopback web host', () => {
  let services: Services;
  let host: WebHost;
  let session: OpenedSession;
  let printed: string[];
  let free: () => number | null;
  let dataDir: string;

  beforeEach(async () => {
    const dir = tempDir();
    const rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Vitally Importer</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'outside.txt'), 'private');
    const log = createMemoryLogger();
    dataDir = join(dir, 'data');
    services = createServices({ host: 'web', paths: pathsIn(dataDir), log });
    printed = [];
    free = () => null;
    host = await startWebHost({
      dispatch: services.dispatch,
      bus: services.bus,
      receiveUpload: (name, size, body) => services.files.receiveUpload(name, size, body),
      freeSpace: () => Promise.resolve(free()),
      log,
      rendererDir,
      onNewLink: (url) => printed.push(url),
    });
    session = await openSession(host);
  });

  afterEach(async () => {
    await host.close();
    await services.close();
  });

  const call = (name: string, body: string, headers: Record<string, string> = {}) =>
    send(host, {
      method: 'POST',
      path: `/api/call/${name}`,
      headers: { 'Content-Type': 'application/json', ...session.headers, ...headers },
      body,
    });

  it('listens on 127.0.0.1 only, with a long random one-time key in each link', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const link = new URL(host.newLink());
    expect(link.origin).toBe(host.origin);
    expect(link.searchParams.get('key')?.length).toBeGreaterThanOrEqual(40);
    expect(new URL(host.newLink()).searchParams.get('key')).not.toBe(link.searchParams.get('key'));
  });

  it('opens the app once per link: the page with its token, and a per-port, script-proof cookie that is not the key', async () => {
    const link = new URL(host.newLink());
    const key = link.searchParams.get('key') ?? '';
    const first = await send(host, { path: link.pathname + link.search });
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>Vitally Importer</title>');
    expect(first.body).toMatch(/<head><meta name="vitally-session" content="[\w-]{40,}">/);
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(host.cookieName).toBe(`vitally_session_${host.port}`);
    expect(setCookie).toMatch(
      new RegExp(`^vitally_session_${host.port}=[\\w-]{40,}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    expect(setCookie).not.toContain(key);
    expect(first.body).not.toContain(key);

    const again = await send(host, { path: link.pathname + link.search });
    expect(again.status).toBe(410);
    expect(again.headers['content-type']).toMatch(/^text\/plain/);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('This link has already been used');
    expect(again.body).toContain('A new link has just been printed in the terminal');
  });

  it('prints a fresh link when the last one was used and someone asks for the app; that link works once', async () => {
    // beforeEach opened the only terminal link, as a browser that has since been restarted did.
    const page = await send(host, {});
    expect(page.status).toBe(401);
    expect(page.body).toContain('A new link has just been printed in the terminal');
    expect(printed).toHaveLength(1);
    // While it is unused, asking again points to it instead of printing more.
    const again = await send(host, {});
    expect(again.body).toContain('Open the newest link printed in the terminal');
    expect(printed).toHaveLength(1);

    const fresh = new URL(printed[0] ?? '');
    expect((await send(host, { path: fresh.pathname + fresh.search })).status).toBe(200);
    expect((await send(host, { path: fresh.pathname + fresh.search })).status).toBe(410);
  });

  it('refuses a link replaced by a newer one, and a browser link after its two minutes', async () => {
    const old = new URL(host.newLink());
    host.newLink();
    const replaced = await send(host, { path: old.pathname + old.search });
    expect(replaced.status).toBe(410);
    expect(replaced.body).toContain('A newer link has replaced this one.');
    const short = new URL(host.newLink({ lifetimeMs: -1 }));
    const expired = await send(host, { path: short.pathname + short.search });
    expect(expired.status).toBe(410);
    expect(expired.body).toContain('This link has expired');
  });

  it('shows the app to a browser that opens an old link again while it has a session', async () => {
    const old = new URL(host.newLink());
    await send(host, { path: old.pathname + old.search });
    const answer = await send(host, { path: old.pathname + old.search, headers: { Cookie: session.headers.Cookie } });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
  });

  it('serves the renderer with the strict CSP to a browser with the session cookie, without the token', async () => {
    const answer = await send(host, { headers: { Cookie: session.headers.Cookie } });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Vitally Importer</title>');
    expect(answer.body).not.toContain(session.token);
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['x-frame-options']).toBe('DENY');
    const asset = await send(host, { path: '/assets/app.js', headers: { Cookie: session.headers.Cookie } });
    expect(asset.status).toBe(200);
  });

  it.each([
    ['the page', { path: '/' }],
    ['an asset', { path: '/assets/app.js' }],
    [
      'a call',
      { method: 'POST', path: '/api/call/getAppInfo', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    ],
    ['the event stream', { path: '/api/events' }],
  ])('refuses %s without the session', async (_label, options) => {
    const answer = await send(host, options);
    expect(answer.status).toBe(401);
  });

  it.each([
    ['a call', { method: 'POST', path: '/api/call/updateSettings', body: '{"theme":"dark"}' }],
    ['the event stream', { path: '/api/events' }],
    ['an upload', { method: 'POST', path: '/api/upload', body: 'a,b\n1,2\n' }],
    ['a download ticket', { method: 'POST', path: '/api/session/ticket' }],
  ])('refuses %s that carries the cookie but not the page’s token, in plain words', async (_label, options) => {
    const headers = {
      'Content-Type': 'application/json',
      'X-File-Name': 'a.csv',
      Cookie: session.headers.Cookie,
    };
    const answer = await send(host, { ...options, headers });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('did not come from the app’s own page');
    expect(await services.dispatch('getSettings', {})).toMatchObject({ ok: true, value: { theme: 'system' } });
  });

  it('gives whoever holds only the cookie (as another server on 127.0.0.1 would) nothing that opens the API', async () => {
    const cookieOnly = { Cookie: session.headers.Cookie };
    // The cookie's own value as the token, the page (which no longer hands out a token), a wrong token: all refused.
    const asToken = await call('getAppInfo', '{}', { 'X-Vitally-Session': session.cookieValue });
    expect(asToken.status).toBe(403);
    expect((await send(host, { headers: cookieOnly })).body).not.toContain(session.token);
    expect((await call('getAppInfo', '{}', { 'X-Vitally-Session': 'guess' })).status).toBe(403);
    // The token without the cookie is refused too.
    const tokenOnly = await send(host, {
      method: 'POST',
      path: '/api/call/getAppInfo',
      headers: { 'Content-Type': 'application/json', 'X-Vitally-Session': session.token },
      body: '{}',
    });
    expect(tokenOnly.status).toBe(401);
  });

  it('refuses a wrong cookie or a key it never made', async () => {
    expect((await send(host, { headers: { Cookie: `${host.cookieName}=guess` } })).status).toBe(401);
    const unknown = await send(host, { path: '/?key=guess' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toContain('This link does not open this app');
  });

  it.each(['evil.example', `evil.example:${0}`, 'localhost.evil.example', '127.0.0.1'])(
    'refuses a request addressed to a foreign Host (%s), even with the session',
    async (hostHeader) => {
      const answer = await send(host, { headers: { ...session.headers, Host: hostHeader } });
      expect(answer.status).toBe(403);
    },
  );

  it.each(['https://evil.example', 'null', 'http://127.0.0.1:1'])(
    'refuses a call from a foreign Origin (%s), even with the session',
    async (origin) => {
      const answer = await call('updateSettings', '{"theme":"dark"}', { Origin: origin });
      expect(answer.status).toBe(403);
      expect(await services.dispatch('getSettings', {})).toEqual({
        ok: true,
        value: { theme: 'system', workspaceId: null },
      });
    },
  );

  it.each(['cross-site', 'same-site'])('refuses a %s fetch (same-site: another port of 127.0.0.1)', async (site) => {
    const answer = await call('getAppInfo', '{}', { 'Sec-Fetch-Site': site });
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
    expect((await send(host, { path: '/api/call/getAppInfo', headers: session.headers })).status).toBe(405);
    expect((await call('getAppInfo', '{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
  });

  it('refuses a request body over 1 MB', async () => {
    const answer = await call('updateSettings', JSON.stringify({ theme: 'x'.repeat(1024 * 1024 + 1) }));
    expect(answer.status).toBe(413);
  });

  it.each(['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/%E0%A4%A'])(
    'never serves a file outside the renderer (%s)',
    async (path) => {
      const answer = await send(host, { path, headers: { Cookie: session.headers.Cookie } });
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('private');
    },
  );

  it('streams main’s events to the page as server-sent events', async () => {
    const frames = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/api/events', headers: session.headers },
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

  /** A chunked upload (no Content-Length, as a streamed body is sent): `chunks` pieces of `size` bytes each. */
  const chunkedUpload = (name: string, chunks: number, size: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/upload',
          headers: { ...session.headers, 'X-File-Name': name, 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const piece = Buffer.alloc(size, 'a,b\n');
      for (let i = 0; i < chunks; i++) req.write(piece);
      req.end();
    });
  const uploads = () => readdirSync(join(dataDir, 'uploads'));

  it('stops a chunked upload when the disk gets nearly full, deletes what arrived and says so', async () => {
    const plenty = 10 * 1024 ** 3;
    free = () => plenty;
    expect((await chunkedUpload('small.csv', 12, 1024 * 1024)).status).toBe(200);
    expect(uploads()).toHaveLength(1);

    // Plenty of room when the upload starts, little left a few megabytes in (another program filled the disk).
    let asked = 0;
    free = () => (++asked === 1 ? plenty : 33 * 1024 * 1024);
    const refused = await chunkedUpload('big.csv', 12, 1024 * 1024);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'There is not enough free disk space to receive “big.csv”.' },
    });
    expect(asked).toBe(2);
    expect(uploads()).toHaveLength(1);
  });

  it('removes, at start, uploaded copies that no file refers to and are over an hour old', async () => {
    const upload = async (name: string) => {
      const answer = await send(host, {
        method: 'POST',
        path: '/api/upload',
        headers: { ...session.headers, 'X-File-Name': name },
        body: 'Account ID,Name\nA1,Acme\n',
      });
      return (JSON.parse(answer.body) as { value: { kind: 'upload'; uploadId: string } }).value;
    };
    const opened = await upload('opened.csv');
    const load = await services.dispatch('loadFile', { source: opened });
    expect(load.ok).toBe(true);
    const abandoned = await upload('abandoned.csv');
    const recent = await upload('recent.csv');
    const hourAgo = new Date(Date.now() - 61 * 60_000);
    for (const { uploadId } of [opened, abandoned]) utimesSync(join(dataDir, 'uploads', uploadId), hourAgo, hourAgo);

    await services.files.pruneUploads();
    expect(uploads().sort()).toEqual([opened.uploadId, recent.uploadId].sort());
    expect(statSync(join(dataDir, 'uploads', opened.uploadId, 'opened.csv')).isFile()).toBe(true);
  });
});
