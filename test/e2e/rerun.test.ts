import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addWorkspace, appSession, checkCsv, previewAsSuggested, screenshot, uploadCsv } from './harness.ts';
import { loadCorrectedFile, rerunFinished, sendAllAndSeeResults } from './send-steps.ts';

/** Two exports of users; in each, Vitally refuses seven e-mail addresses (an old domain it no longer takes). */
const FIRST = [3, 9, 17, 24, 33, 41, 58];
const SECOND = [2, 5, 11, 19, 26, 30, 37];
const bad = (prefix: string, i: number) => `${prefix}${i}@old-domain.invalid`;
const users = (prefix: string, count: number, refused: number[]) =>
  [
    'Account ID,User ID,E-mail',
    ...Array.from({ length: count }, (_, k) => {
      const i = k + 1;
      return `${prefix}A${i % 4},${prefix}${i},${refused.includes(i) ? bad(prefix, i) : `${prefix}${i}@example.com`}`;
    }),
  ].join('\n');

describe('re-running the rows Vitally refused: exported, fixed and loaded again, or fixed in place', () => {
  const session = appSession({
    emulator: {
      token: 'rerun-e2e-token-4c1d',
      refuse: {
        field: 'traits.email',
        value: [...FIRST.map((i) => bad('u', i)), ...SECOND.map((i) => bad('v', i))],
      },
    },
  });

  /** Every messageId Vitally received from request `from` on. */
  const received = (from: number) => session.emulator.requests.slice(from).flatMap((r) => r.messageIds);
  const accepted = () =>
    new Set(session.emulator.requests.filter((r) => r.status === 200).flatMap((r) => r.messageIds));

  it('Results name the seven refused rows, and their export opens as a file with the same columns', async () => {
    const { page, emulator } = session;
    await addWorkspace(page, emulator.baseUrl, emulator.config.token);
    await checkCsv(page, 'users.csv', users('u', 60, FIRST));
    await sendAllAndSeeResults(page, 60);
    const rows = page.locator('.run-rows__table tbody tr');
    await expect.poll(() => rows.count()).toBe(7);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(FIRST.map((i) => String(i + 1)));
    expect(await rows.first().textContent()).toContain(
      'Vitally refused the trait “email” “u3@old-domain.invalid” from column “E-mail”.',
    );
    expect(await rows.first().locator('.row-cells__culprit').textContent()).toBe('E-mailu3@old-domain.invalid');
    const byType = page.getByTestId('outcome-by-type');
    expect(await byType.locator('tbody tr').allTextContents()).toEqual(['Accounts40000', 'Users537000', 'All577000']);
    await page.locator('.run-rows').scrollIntoViewIfNeeded();
    await screenshot(page, 'results-02-refused-rows');

    // Searching narrows the rows to the one asked for.
    await page.getByPlaceholder(/^Search/).fill('u41@');
    await expect.poll(() => rows.locator('td:first-child').allTextContents()).toEqual(['42']);
    await page.getByPlaceholder(/^Search/).fill('');
    await expect.poll(() => rows.count()).toBe(7);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^users – \d{4}-\d{2}-\d{2} – failed rows\.csv$/);
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    expect(text.startsWith('\uFEFFAccount ID,User ID,E-mail,Row,Error\r\n')).toBe(true);
    expect(text.trim().split('\r\n')).toHaveLength(8);
    await expect.poll(() => page.getByTestId('export-status').textContent()).toContain('failed rows.csv');
    await page.locator('.rerun-card').scrollIntoViewIfNeeded();
    await screenshot(page, 'results-03-exported');

    // Fixed in a spreadsheet, loaded again: only those seven rows go, matched to the refused ones.
    const fixed = text.replace(/^\uFEFF/, '').replaceAll('@old-domain.invalid', '@example.com');
    await loadCorrectedFile(page, 'users – failed rows (fixed).csv', fixed);
    await expect
      .poll(() => page.getByTestId('rerun-banner').textContent())
      .toContain('uses the mapping of “users.csv”');
    await previewAsSuggested(page);
    await page.getByRole('button', { name: 'Continue to Send' }).click();
    await expect
      .poll(() => page.getByTestId('rerun-count').textContent())
      .toBe('7 messages (7 users) from 7 rows will be sent again.');
    await screenshot(page, 'rerun-01-from-corrected-file');
    const before = emulator.requests.length;
    const earlier = accepted();
    await page.getByRole('button', { name: 'Re-run 7 rows' }).click();
    await rerunFinished(page);
    expect(await page.getByTestId('accepted').textContent()).toBe('7');
    expect(await page.getByTestId('rejected').textContent()).toBe('0');
    // The emulator's record: seven messages, none of them one it had accepted before.
    const sent = received(before);
    expect(sent).toHaveLength(7);
    expect(sent.filter((id) => earlier.has(id))).toEqual([]);
    for (const i of FIRST)
      expect(emulator.state.users.get(`u${i}`)?.traits).toMatchObject({ email: `u${i}@example.com` });
    expect(emulator.state.users.size).toBe(60);
    await screenshot(page, 'rerun-02-finished');
  });

  it('the same with the rows fixed in place: Preview shows just them, and only they go again', async () => {
    const { page, emulator } = session;
    await uploadCsv(page, 'more-users.csv', users('v', 40, SECOND));
    await previewAsSuggested(page);
    await sendAllAndSeeResults(page, 40);
    await page.getByRole('button', { name: 'Fix them in Preview' }).click();
    await page.getByTestId('failed-rows-note').waitFor();
    const grid = page.getByRole('grid', { name: 'Rows to send' });
    await expect.poll(() => grid.locator('[data-row]').count()).toBe(7);
    await screenshot(page, 'rerun-03-fix-in-place');
    for (const i of SECOND) {
      const row = i + 1;
      await grid.getByRole('button', { name: new RegExp(`^Row ${row}, E-mail`) }).click();
      const input = page.getByLabel(`New value for row ${row}, E-mail`);
      await input.fill(`v${i}@example.com`);
      await input.press('Enter');
      await expect
        .poll(() => grid.locator(`[data-row="${row}"] [data-column="E-mail"]`).textContent())
        .toBe(`v${i}@example.com`);
    }
    await page.getByRole('button', { name: 'Continue to re-run' }).click();
    await expect
      .poll(() => page.getByTestId('rerun-count').textContent(), { timeout: 20_000 })
      .toBe('7 messages (7 users) from 7 rows will be sent again.');
    const before = emulator.requests.length;
    const earlier = accepted();
    await page.getByRole('button', { name: 'Re-run 7 rows' }).click();
    await rerunFinished(page);
    const sent = received(before);
    expect(sent).toHaveLength(7);
    expect(sent.filter((id) => earlier.has(id))).toEqual([]);
    for (const i of SECOND)
      expect(emulator.state.users.get(`v${i}`)?.traits).toMatchObject({ email: `v${i}@example.com` });
    // Every message accepted once: nothing re-sent in either re-run.
    const all = emulator.requests.filter((r) => r.status === 200).flatMap((r) => r.messageIds);
    expect(new Set(all).size).toBe(all.length);
  });

  it('History opens an import: its re-run, batches with their exact JSON and answers, and its reports', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'History' }).click();
    const list = page.locator('.data-table tbody tr');
    await expect.poll(() => list.count()).toBe(4);
    expect(await list.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-kind')))).toEqual([
      'rerun',
      'send',
      'rerun',
      'send',
    ]);
    await screenshot(page, 'history-01-list');
    await list.last().getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByTestId('reruns').textContent()).toContain('Re-run once');
    // The one batch of 64 messages was refused for seven of them: it was halved until they were found. Its first
    // part, accepted, holds the accounts.
    const batches = page.locator('.run-batches__list tbody tr');
    expect(await batches.first().locator('td').first().textContent()).toMatch(/^1\.1/);
    await batches.first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('run-batch-json').textContent()).toContain('"type": "account"');
    expect(await page.getByTestId('run-batch-response').textContent()).toBe('200: accepted. Sent once.');
    // A refused one: its single message, and Vitally's answer word for word.
    await batches.filter({ hasText: 'Refused' }).first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('run-batch-json').textContent()).toContain('u3@old-domain.invalid');
    expect(await page.getByTestId('run-batch-response').textContent()).toBe(
      '400: refused. {"error":"Message 0: traits.email \\"u3@old-domain.invalid\\" is not accepted by this workspace."} Sent once.',
    );
    await page.getByTestId('run-batch-json').scrollIntoViewIfNeeded();
    await screenshot(page, 'history-02-opened-run');
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Report as JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync((await report.path()) ?? '', 'utf8')) as { messages: { outcome: string }[] };
    expect(json.messages.filter((m) => m.outcome === 'rejected')).toHaveLength(7);
  });
});
