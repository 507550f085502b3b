import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/journal/database.ts';
import { Journal } from '../../app/journal/journal.ts';
import { pathsIn } from '../../main/paths.ts';
import { launchChromium, openApp, screenshot, startWebApp, type RunningApp } from './harness.ts';

describe('an import the app was closed in the middle of', () => {
  let dataDir: string;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    // The journal as a killed app leaves it: a run sending, one batch accepted, one on its way.
    dataDir = mkdtempSync(join(tmpdir(), 'vitally-importer-interrupted-'));
    const db = openDatabase(pathsIn(dataDir).databaseFile);
    const journal = new Journal(db);
    const message = (row: number) =>
      JSON.stringify({ type: 'user', userId: `u${row}`, accountId: 'A1', traits: {}, messageId: `m${row}` });
    const runId = journal.createRun(
      { fileName: 'users.csv', workspaceName: 'Acme', baseUrl: 'http://127.0.0.1:9/analytics/v1', rows: 2 },
      [
        { id: '0', messages: [message(2)], types: ['user'], sourceRows: [2] },
        { id: '1', messages: [message(3)], types: ['user'], sourceRows: [3] },
      ],
    );
    journal.setRunState(runId, 'sending');
    journal.markOutcome(runId, '0', { kind: 'accepted', status: 200 });
    journal.markSending(runId, '1');
    db.close();
    app = await startWebApp({ dataDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is offered for resuming at the next launch, and listed as interrupted in History', async () => {
    const page = await openApp(browser, app.url);
    const banner = page.getByTestId('interrupted-banner');
    await expect
      .poll(() => banner.textContent())
      .toContain('The import of users.csv to Acme stopped when the app closed, after 1 message was accepted.');
    await screenshot(page, 'interrupted-01-offered');
    await banner.getByRole('button', { name: 'Later' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    await page.getByRole('button', { name: 'History' }).click();
    await expect.poll(() => page.locator('.data-table tbody tr').first().textContent()).toContain('Interrupted');
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
  });
});
