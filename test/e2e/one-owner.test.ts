import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { addWorkspace, appSession, checkCsv, launchChromium, openApp, PROJECT_DIR, screenshot } from './harness.ts';

/**
 * Attacks on "nothing sent twice": a paused send resumed from two tabs at once, and a second app started on the
 * same data folder in the middle of it. Vitally (the emulator) must receive every message exactly once, and the
 * counts on screen must be what it received.
 */

const ROWS = 1200;
const users = () => {
  const lines = ['Account ID,Account Name,User ID,E-mail,Seats'];
  for (let i = 1; i <= ROWS; i++) lines.push(`A${i % 10},Company ${i % 10},U${i},user${i}@example.com,${i}`);
  return lines.join('\n');
};

/** A count as the page shows it ("1,210"). */
const shownNumber = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

/** Starts a second web host on the same data folder and resolves with how it ended and what it printed. */
function secondStart(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_DIR, 'out', 'main', 'web.js'), '--no-open'], {
      env: { ...process.env, VITALLY_IMPORTER_DATA_DIR: dataDir, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // It must hand over at once; if it does not end, it is killed and the test fails on its output.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('one sender per run and one app per data folder, in the browser', () => {
  const session = appSession();
  let emulator: Emulator;
  let page: Page;

  beforeAll(async () => {
    emulator = await startEmulator({ token: 'one-owner-token-5d1e', latencyMs: 120 });
    page = session.page;
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const receivedIds = () => emulator.requests.filter((r) => r.status === 200).flatMap((r) => r.messageIds);

  it('two tabs resuming one paused send, and a second app started meanwhile, send every message once', async () => {
    await addWorkspace(page, emulator.baseUrl, emulator.config.token);
    await checkCsv(page, 'users.csv', users());
    await page.getByRole('button', { name: 'Continue to Send' }).click();
    await page.getByRole('button', { name: `Send all ${ROWS.toLocaleString('en-US')} rows` }).click();

    // Paused in the middle; once settled, the count shown is what Vitally received.
    await expect.poll(() => page.getByTestId('accepted').textContent(), { timeout: 30_000 }).not.toBe('0');
    // Vitally slows down, so that the send is surely still going when Pause is pressed, however busy the machine.
    emulator.configure({ latencyMs: 1500 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect
      .poll(() => page.getByTestId('send-status').textContent(), { timeout: 20_000 })
      .toBe('Paused. Resume whenever you are ready.');
    expect(shownNumber(await page.getByTestId('accepted').textContent())).toBe(receivedIds().length);
    emulator.configure({ latencyMs: 120 });

    // A second app on the same data folder hands over to this one instead of opening the database.
    const second = await secondStart(session.app.dataDir);
    expect(second.code).toBe(0);
    expect(second.output).toContain('Vitally Importer is already running in your browser');
    const link = /http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+/.exec(second.output)?.[0];
    expect(link?.startsWith(session.app.origin)).toBe(true);
    expect(session.app.output()).toContain('Another start of Vitally Importer on this data folder was sent here');
    // The page already open says so, and the run it shows is untouched.
    await expect
      .poll(() => page.getByTestId('announcement').textContent())
      .toContain('It was already running here, so nothing else was opened');
    expect(await page.locator('[data-send-state]').getAttribute('data-send-state')).toBe('paused');
    await screenshot(page, 'hand-over-02-the-open-window-says-so');
    await page.getByTestId('announcement').getByRole('button', { name: 'Dismiss' }).click();
    const browser = await launchChromium();
    try {
      const handedOver = await openApp(browser, link ?? '');
      await screenshot(handedOver, 'hand-over-01-second-start-opens-the-running-app');
    } finally {
      await browser.close();
    }

    // Reloading loses nothing: the page comes back to the send it was showing, with the same counts.
    await page.reload();
    await page.locator('[data-app-state="loaded"]').waitFor();
    await page.locator('[data-send-state="paused"]').waitFor();
    expect(await page.getByTestId('live-run-banner').count()).toBe(0);
    await screenshot(page, 'send-05-reloaded-comes-back-to-the-send');
    expect(shownNumber(await page.getByTestId('accepted').textContent())).toBe(receivedIds().length);

    // A second tab finds the paused send in History (to follow, not to send again), and both tabs press Resume.
    const tab = await page.context().newPage();
    await tab.goto(session.app.origin);
    await tab.locator('[data-app-state="loaded"]').waitFor();
    await tab.getByRole('button', { name: 'History' }).click();
    await tab.getByRole('button', { name: 'Show', exact: true }).click();
    await tab.locator('[data-send-state="paused"]').waitFor();
    // Both pressed at the same moment: the first to arrive resumes, and its button becomes Pause in both tabs.
    // Vitally is slow again for a moment, so that the send is surely still going when the late presses below land.
    emulator.configure({ latencyMs: 1500 });
    const buttons = await Promise.all([
      tab.getByRole('button', { name: 'Resume' }).elementHandle(),
      page.getByRole('button', { name: 'Resume' }).elementHandle(),
    ]);
    const press = () =>
      Promise.all(buttons.map((button) => button?.evaluate((element) => (element as HTMLElement).click())));
    await press();
    // A Resume pressed once the other tab's has reached this one (on a busy machine, the second of two "at once")
    // must never pause the send: the Resume pressed is not the Pause now shown in its place.
    for (const each of [page, tab]) {
      await expect
        .poll(() => each.locator('[data-send-state]').getAttribute('data-send-state'), { timeout: 20_000 })
        .not.toBe('paused');
    }
    await press();
    emulator.configure({ latencyMs: 120 });

    await page.locator('[data-send-state="finished"]').waitFor({ timeout: 60_000 });
    const ids = receivedIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(shownNumber(await page.getByTestId('accepted').textContent())).toBe(ids.length);
    expect(emulator.state.users.size).toBe(ROWS);
    await tab.locator('[data-send-state="finished"]').waitFor({ timeout: 30_000 });
    expect(shownNumber(await tab.getByTestId('accepted').textContent())).toBe(ids.length);
    await tab.close();
  }, 180_000);
});
