import { describe, expect, it } from 'vitest';
import { addWorkspace, appSession, checkCsv, screenshot } from './harness.ts';

const ROWS = 400;
const users = () => {
  const lines = ['Account ID,Account Name,User ID,E-mail,Seats'];
  for (let i = 1; i <= ROWS; i++) lines.push(`A${i % 20},Company ${i % 20},U${i},user${i}@example.com,${i}`);
  return lines.join('\n');
};

describe('a whole import: connect, upload, map, preview, trial, send with rate limits, pause, resume, results', () => {
  const session = appSession({
    emulator: {
      token: 'journey-token-9f3c',
      latencyMs: 150,
      refuse: { field: 'userId', value: 'U77' },
    },
  });

  it('goes from a spreadsheet to accepted messages, with the one Vitally refused named by its row', async () => {
    const { page, emulator } = session;
    await addWorkspace(page, emulator.baseUrl, emulator.config.token);
    await checkCsv(page, 'users.csv', users());
    expect(await page.getByTestId('messages').textContent()).toContain('20 accounts · 400 users');
    await page.getByRole('button', { name: 'Continue to Send' }).click();

    // A trial of the first 10 rows.
    await page.getByRole('button', { name: 'Send a trial of the first 10 rows' }).click();
    await page.locator('[data-send-state="finished"]').waitFor();
    expect(await page.getByTestId('accepted').textContent()).toBe('20');
    expect(emulator.state.users.size).toBe(10);
    await screenshot(page, 'send-01-trial');

    // Everything, with Vitally limiting the rate; the token was rotated in Vitally meanwhile, so the send stops
    // for a new one, taken in place; then paused and resumed on the way.
    emulator.configure({
      token: 'journey-token-rotated-7e21',
      rateLimit: { requests: 3, windowMs: 1000, retryAfter: 'seconds', rateLimitHeaders: true },
    });
    await page.getByRole('button', { name: 'Send all 400 rows' }).click();
    const newToken = page.getByLabel('New API token for Emulator');
    await newToken.waitFor();
    expect(await page.getByTestId('send-status').textContent()).toBe(
      'Vitally refused the token (401). Paste a new one to go on; nothing is lost.',
    );
    await screenshot(page, 'send-04-new-token');
    await newToken.fill('journey-token-rotated-7e21');
    await page.getByRole('button', { name: 'Save and go on' }).click();
    await newToken.waitFor({ state: 'detached' });
    await page.locator('[data-send-state="sending"]').waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('[data-send-state="paused"]').waitFor();
    // Paused once the requests already on their way are answered; the count shown is then what Vitally has.
    await expect
      .poll(() => page.getByTestId('send-status').textContent(), { timeout: 20_000 })
      .toBe('Paused. Resume whenever you are ready.');
    const receivedOnce = () => {
      const ids = emulator.requests.filter((r) => r.status === 200).flatMap((r) => r.messageIds);
      return { total: ids.length, distinct: new Set(ids).size };
    };
    await expect
      .poll(async () => Number(await page.getByTestId('accepted').textContent()) + 20)
      .toBe(receivedOnce().total);
    await screenshot(page, 'send-02-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('[data-send-state="finished"]').waitFor({ timeout: 30_000 });
    // The trial's 20 messages were not sent again: this run sent the other 400, of which Vitally refused one.
    expect(await page.getByTestId('accepted').textContent()).toBe('399');
    expect(await page.getByTestId('rejected').textContent()).toBe('1');
    expect(await page.getByTestId('already-accepted').textContent()).toContain('20 messages were already accepted');
    expect(emulator.requests.some((request) => request.status === 429)).toBe(true);
    // Every user is in Vitally once, and no accepted message was ever sent twice.
    expect(emulator.state.users.size).toBe(399);
    expect(emulator.state.applied.filter((m) => m.type === 'user').length).toBe(399);
    expect(receivedOnce().total).toBe(receivedOnce().distinct);
    await screenshot(page, 'send-03-finished');

    await page.getByRole('button', { name: 'See the results' }).click();
    const refused = page.locator('.run-rows__table tbody tr');
    await expect.poll(() => refused.locator('td:first-child').allTextContents()).toEqual(['78']);
    expect(await refused.first().textContent()).toContain(
      'Vitally refused the user ID “U77” from column “User ID”. Vitally said: “userId "U77" is not accepted by this workspace”.',
    );
    await screenshot(page, 'results-01');
    await page.getByRole('button', { name: 'History' }).click();
    await expect.poll(() => page.locator('.data-table tbody tr').count()).toBe(2);
  });
});
