import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theme } from './frame-checks.ts';
import { launchChromium, startWebApp, type RunningApp } from './harness.ts';

/** Another web server on 127.0.0.1, as any local program may run, that records what the browser sends it. */
async function startOtherServer(): Promise<{ server: Server; port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Another local page</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('the web host’s session, in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let other: Awaited<ReturnType<typeof startOtherServer>> | undefined;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(app.url);
    await page.locator('[data-app-state="loaded"]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    other?.server.close();
    other?.server.closeAllConnections();
  });

  it('keeps working after a reload and in a second tab of the same browser', async () => {
    expect(new URL(page.url()).search).toBe('');
    await page.reload();
    await page.locator('[data-app-state="loaded"]').waitFor();
    const second = await context.newPage();
    await second.goto(app.origin);
    await second.locator('[data-app-state="loaded"]').waitFor();
    // A change made in one tab reaches the other through the event stream, which carries the session header.
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => theme(second)).toBe('dark');
    await page.getByRole('radio', { name: 'Match system' }).check();
    await second.close();
  });

  it('tells a browser that opens the used link again that it was used, and how to get another', async () => {
    const stranger = await browser.newContext();
    const visit = await (await stranger.newPage()).goto(app.url);
    expect(visit?.status()).toBe(410);
    expect(await visit?.text()).toContain('This link has already been used');
    await stranger.close();
  });

  it('hands another server on 127.0.0.1 a cookie that is not the key and opens nothing', async () => {
    other = await startOtherServer();
    const key = new URL(app.url).searchParams.get('key') ?? '';
    const token = await page.evaluate(() => localStorage.getItem('vitally-session'));
    expect(token).toMatch(/^[\w-]{40,}$/);

    const visit = await context.newPage();
    await visit.goto(`http://127.0.0.1:${other.port}/`);
    const cookie = other.seen.map((headers) => headers.cookie ?? '').join('; ');
    const port = new URL(app.origin).port;
    // Browsers send cookies to every port of a host: this is what another local program can collect.
    const stolen = new RegExp(`vitally_session_${port}=([\\w-]+)`).exec(cookie)?.[1] ?? '';
    expect(stolen).not.toBe('');
    const received = JSON.stringify(other.seen);
    expect(received).not.toContain(key);
    expect(received).not.toContain(token);
    await visit.close();

    const asCaller = (headers: Record<string, string>) =>
      fetch(`${app.origin}/api/call/getAppInfo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: `vitally_session_${port}=${stolen}`, ...headers },
        body: '{}',
      });
    expect((await asCaller({})).status).toBe(403);
    expect((await asCaller({ 'X-Vitally-Session': stolen })).status).toBe(403);
    const pageWithCookie = await fetch(app.origin, { headers: { Cookie: `vitally_session_${port}=${stolen}` } });
    expect(await pageWithCookie.text()).not.toContain(token ?? '');
    // The app's own page, with the same cookie and its token, is answered.
    expect((await asCaller({ 'X-Vitally-Session': token ?? '' })).status).toBe(200);
  });
});
