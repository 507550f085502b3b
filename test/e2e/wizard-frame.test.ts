import { describe, expect, it } from 'vitest';
import {
  checkAbout,
  checkEveryStep,
  checkHistory,
  checkKeyboard,
  checkOpensOnConnect,
  checkThemeIsRemembered,
  theme,
} from './frame-checks.ts';
import { appSession, openApp } from './harness.ts';

describe('the wizard frame in the browser, through the web host', () => {
  const session = appSession();

  it('opens on Connect, with the link’s key gone from the address bar', async () => {
    const { page } = session;
    expect(new URL(page.url()).search).toBe('');
    await checkOpensOnConnect(page, 'web-01-connect');
  });

  it('shows every step, and says what to do first where a step is not yet possible', async () => {
    const { page } = session;
    await checkEveryStep(page, 'web-step');
  });

  it('lists past imports in History, with an empty state that leads to a new import', async () => {
    const { page } = session;
    await checkHistory(page, 'web-history');
  });

  it('shows where the data lives in About, from a real call to main', async () => {
    const { app, page } = session;
    await checkAbout(page, app.dataDir, 'web-about');
  });

  it('follows the OS theme until the user picks one', async () => {
    const { page } = session;
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => theme(page)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => theme(page)).toBe('light');
  });

  it('remembers a chosen theme across reloads', async () => {
    const { page } = session;
    await checkThemeIsRemembered(page, 'web-dark');
  });

  it('tells every open window when a preference changes, through the event stream', async () => {
    const { app, browser, page } = session;
    const other = await openApp(browser, await app.freshLink());
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => theme(other)).toBe('dark');
    await page.getByRole('radio', { name: 'Match system' }).check();
    await expect.poll(() => theme(other)).toBe('light');
    await other.close();
  });

  it('can be used from the keyboard alone', async () => {
    const { page } = session;
    await checkKeyboard(page);
  });

  it('refuses a malformed call from the page with a typed validation error', async () => {
    const { page } = session;
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/call/updateSettings', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Vitally-Session': localStorage.getItem('vitally-session') ?? '',
        },
        body: JSON.stringify({ theme: 'purple' }),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'theme' }] } });
  });

  it('refuses a call from the page that lacks the session header, though the browser sends the cookie', async () => {
    const { page } = session;
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/call/getAppInfo', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return response.status;
    });
    expect(status).toBe(403);
  });

  it('is refused to a browser that opens the address without the printed link', async () => {
    const { app, browser } = session;
    const context = await browser.newContext();
    const stranger = await context.newPage();
    const response = await stranger.goto(app.origin);
    expect(response?.status()).toBe(401);
    expect(await stranger.textContent('body')).toContain('Vitally Importer opens only from the link it prints');
    await context.close();
  });
});
