import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { seriousViolations, type Violation } from './axe.ts';
import { addWorkspace, appSession, screenshot } from './harness.ts';

const CONTACTS = [
  'User ID,Account ID,First Name,Last Name,Email,Seats,Signed up',
  ...Array.from(
    { length: 60 },
    (_, i) => `U${i + 1},A${(i % 6) + 1},Ada${i},Lovelace${i},ada${i}@example.com,${i + 1},2024-03-${(i % 28) + 1}`,
  ),
].join('\n');

/** Every serious or critical problem axe finds on each screen, in both themes, as the user reaches it. */
describe('accessibility: axe on every screen, in both themes', () => {
  const session = appSession();
  let emulator: Emulator;
  let page: Page;
  const found = new Map<string, Violation[]>();

  /** Checks the screen as it is now in light and dark, and keeps what is wrong under its name. */
  const check = async (name: string) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.locator(`[data-theme="${scheme}"]`).first().waitFor();
      const violations = await seriousViolations(page);
      if (violations.length > 0) found.set(`${name} (${scheme})`, violations);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };

  beforeAll(async () => {
    emulator = await startEmulator({ token: 'a11y-token-51c0', refuse: { field: 'userId', value: 'U7' } });
    page = session.page;
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('Connect: empty, with an error, and with a tested workspace', async () => {
    await check('connect-empty');
    const form = page.getByRole('form', { name: 'Add a workspace' });
    await form.getByLabel('Name').fill('Proxy');
    await form.getByLabel('Vitally subdomain or address').fill('http://proxy.example.com');
    await form.getByLabel('Analytics API token').fill('token-1234');
    await form.getByRole('button', { name: 'Save and test' }).click();
    await page.getByTestId('connect-error').waitFor();
    await check('connect-error');
    await form.getByLabel('Name').fill('');
    await form.getByLabel('Vitally subdomain or address').fill('');
    await form.getByLabel('Analytics API token').fill('');
    await addWorkspace(page, emulator.baseUrl, emulator.config.token);
    await check('connect-workspace');
  });

  it('Upload: empty and read', async () => {
    await page.getByRole('button', { name: 'Continue to Upload' }).click();
    await check('upload-empty');
    await page
      .locator('#file-input')
      .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CONTACTS) });
    await page.locator('[data-upload-phase="ready"]').waitFor();
    await check('upload-ready');
  });

  it('Map and Preview', async () => {
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    await page.getByTestId('message-user').waitFor();
    await check('map');
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    await check('preview');
  });

  it('Send, Results and History', async () => {
    await page.getByRole('button', { name: 'Continue to Send' }).click();
    await check('send-ready');
    await page.getByRole('button', { name: /^Send all/ }).click();
    await page.locator('[data-send-state="finished"]').waitFor();
    await check('send-finished');
    await page.locator('[data-step="results"]').click();
    await check('results');
    await page
      .getByRole('button', { name: /History/ })
      .first()
      .click();
    await check('history');
    await screenshot(page, 'a11y-history');
  });

  it('has no serious or critical violation anywhere', () => {
    const report = [...found].map(
      ([screen, violations]) =>
        `${screen}:\n${violations.map((v) => `  ${v.impact} ${v.rule}: ${v.help} → ${v.targets.join(' | ')}`).join('\n')}`,
    );
    expect(report.join('\n')).toBe('');
  });
});
