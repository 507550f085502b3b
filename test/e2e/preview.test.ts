import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appSession, openInMap, PROJECT_DIR, screenshot } from './harness.ts';

// Row 3 has no user ID; row 5 is the one the user leaves out. The Timestamp column makes every messageId fixed.
const USERS = [
  'Account ID,Account Name,User ID,E-mail,Timestamp',
  'A1,Acme,U1,ana@acme.io,2026-11-01T10:00:00Z',
  'A1,Acme,,bo@acme.io,2026-11-01T10:05:00Z',
  'A2,Beta,U3,cy@beta.io,2026-11-02T09:30:00Z',
  'A3,Gamma,U4,dee@gamma.io,2026-11-03T08:00:00Z',
  'A3,Gamma,U5,eve@gamma.io,2026-11-03T08:15:00Z',
].join('\n');
const EXPECTED = join(PROJECT_DIR, 'test', 'fixtures', 'expected', 'users-batch-1.json');

describe('Preview: fix a cell in place, leave a row out, and get exactly the expected batch', () => {
  const session = appSession();
  const grid = () => session.page.getByRole('grid', { name: 'Rows to send' });
  const summary = (id: string) => session.page.getByTestId(id).evaluate((e) => e.firstChild?.textContent ?? '');
  const checked = () => session.page.locator('[data-preview-state="ready"]').waitFor();

  it('opens on the row that cannot be sent, its empty cell highlighted and explained', async () => {
    const { page } = session;
    await openInMap(page, 'users.csv', USERS);
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await checked();
    expect(await summary('error-rows')).toBe('1');
    expect(await page.getByRole('radio', { name: /With errors/ }).isChecked()).toBe(true);
    const cell = grid().locator('[data-row="3"] [data-column="User ID"]');
    await cell.waitFor();
    expect(await cell.getAttribute('class')).toContain('review-grid__cell--error');
    expect(await grid().locator('[data-row="3"] .review-grid__problems').textContent()).toBe(
      '“User ID”: is empty, and every user message needs a user ID.',
    );
    await screenshot(page, 'preview-02-error-in-place');
  });

  it('sends a corrected cell, marked as edited, and the file keeps its own value', async () => {
    const { page } = session;
    await grid()
      .getByRole('button', { name: /^Row 3, User ID: empty/ })
      .click();
    await page.getByLabel('New value for row 3, User ID').fill('U2');
    await page.getByLabel('New value for row 3, User ID').press('Enter');
    await checked();
    await expect.poll(() => summary('error-rows')).toBe('0');
    expect(await page.getByTestId('edited-cells').textContent()).toBe('1 cell edited');
    await page.getByRole('radio', { name: /Edited/ }).check();
    const cell = grid().locator('[data-row="3"] [data-column="User ID"]');
    await cell.waitFor();
    expect(await cell.getAttribute('class')).toContain('review-grid__cell--edited');
    expect(await cell.getByRole('button').getAttribute('title')).toBe('Edited. The file says “”.');
    expect(await cell.textContent()).toBe('U2');
    expect(await grid().locator('[data-row="3"] .review-grid__problems').textContent()).toBe('Edited: “User ID”.');
    await screenshot(page, 'preview-03-edited');
  });

  it('lets a change be abandoned with Escape, and an edit be taken back', async () => {
    const { page } = session;
    await page.getByRole('radio', { name: /All rows/ }).check();
    const name = grid().locator('[data-row="4"] [data-column="Account Name"]');
    await name.getByRole('button').click();
    await page.getByLabel('New value for row 4, Account Name').fill('Beta Ltd');
    await page.getByLabel('New value for row 4, Account Name').press('Escape');
    expect(await name.textContent()).toBe('Beta');

    await name.getByRole('button').click();
    await page.getByLabel('New value for row 4, Account Name').fill('Beta Ltd');
    await page.getByLabel('New value for row 4, Account Name').press('Enter');
    await expect.poll(() => page.getByTestId('edited-cells').textContent()).toBe('2 cells edited');
    await name.getByRole('button').click();
    await page.getByRole('button', { name: 'Undo edit' }).click();
    await expect.poll(() => name.textContent()).toBe('Beta');
    await expect.poll(() => page.getByTestId('edited-cells').textContent()).toBe('1 cell edited');
  });

  it('leaves an unticked row out of the counts and the batches', async () => {
    const { page } = session;
    await page.getByRole('radio', { name: /All rows/ }).check();
    await page.getByRole('checkbox', { name: 'Send row 5' }).uncheck();
    await checked();
    await expect.poll(() => summary('excluded-rows')).toBe('1');
    expect(await summary('sendable-rows')).toBe('4');
    await page.getByRole('radio', { name: /Left out/ }).check();
    await grid().locator('[data-row="5"]').waitFor();
    expect(await grid().locator('[data-row="5"] .review-grid__problems').textContent()).toBe(
      'Left out of this import.',
    );
    await page.setViewportSize({ width: 1280, height: 1400 });
    await screenshot(page, 'preview-04-left-out');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows batch 1 byte for byte as expected, each message under its row', async () => {
    const { page } = session;
    const json = page.getByTestId('batch-json');
    await expect.poll(async () => (await json.getAttribute('data-body'))?.includes('"U2"')).toBe(true);
    const body = (await json.getAttribute('data-body')) ?? '';
    expect(body).toBe(readFileSync(EXPECTED, 'utf8').trim());
    expect(await json.locator('.batch-message__source').allTextContents()).toEqual([
      'Message 1 · row 2',
      'Message 2 · row 2',
      'Message 3 · row 3',
      'Message 4 · row 4',
      'Message 5 · row 4',
      'Message 6 · row 6',
      'Message 7 · row 6',
    ]);
  });

  it('copies the batch’s JSON, and says so', async () => {
    const { page } = session;
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    const body = (await page.getByTestId('batch-json').getAttribute('data-body')) ?? '';
    await page.getByRole('button', { name: 'Copy JSON' }).click();
    await expect.poll(() => page.locator('.batch-view__copy [role="status"]').textContent()).toBe('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(body);
    await screenshot(page, 'preview-06-copied');
  });

  it('saves all batches as JSON Lines, one batch per line', async () => {
    const { page } = session;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save all batches as JSON Lines' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('users batches.jsonl');
    const path = await download.path();
    expect(readFileSync(path, 'utf8')).toBe(`${readFileSync(EXPECTED, 'utf8').trim()}\n`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'JSON Lines file' }).count()).toBe(1);
  });

  it('keeps problems and edits legible in the dark theme', async () => {
    const { page } = session;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('radio', { name: /All rows/ }).check();
    await grid().locator('[data-row="3"] [data-column="User ID"]').waitFor();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await screenshot(page, 'preview-05-dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

describe('Preview: correcting a long file row after row', () => {
  const session = appSession();
  const lines = ['Account ID,User ID,Seats'];
  for (let i = 1; i <= 400; i++) lines.push(`A${i % 9},U${i},${i % 50 === 0 ? 'many' : i}`);

  it('keeps the place in the list, and the next cell being typed, while the file is checked again', async () => {
    const { page } = session;
    await openInMap(page, 'long.csv', lines.join('\n'));
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    await page.getByRole('radio', { name: /All rows/ }).check();
    const grid = page.getByRole('grid', { name: 'Rows to send' });
    await grid.locator('[data-row="2"]').waitFor();
    await grid.evaluate((element) => element.scrollTo({ top: 36 * 240 }));
    const seats = (row: number) => grid.locator(`[data-row="${row}"] [data-column="Seats"]`);
    await seats(251).waitFor();
    const scrolled = await grid.evaluate((element) => element.scrollTop);

    await seats(251).getByRole('button').click();
    await page.getByLabel('New value for row 251, Seats').fill('50');
    await page.getByLabel('New value for row 251, Seats').press('Enter');
    // Enter moved to the cell below, as in a spreadsheet: the next correction starts at once, while the first
    // one's check runs.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
      .toMatch(/^Row 252, Seats: 251/);
    await page.keyboard.press('Enter');
    await page.getByLabel('New value for row 252, Seats').fill('5');
    await page.locator('[data-preview-state="ready"]').waitFor();
    await expect.poll(() => page.getByTestId('edited-cells').textContent()).toBe('1 cell edited');
    expect(await page.getByLabel('New value for row 252, Seats').inputValue()).toBe('5');
    // Where it was (focusing the next cell may nudge it into view), not back at the top.
    expect(Math.abs((await grid.evaluate((element) => element.scrollTop)) - scrolled)).toBeLessThan(72);
    expect(await seats(251).textContent()).toBe('50');
  });
});
