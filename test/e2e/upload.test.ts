import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, PROJECT_DIR, screenshot } from './harness.ts';

const FIXTURES = join(PROJECT_DIR, 'test', 'fixtures');

/** Drops a file on the Upload step's drop zone, as a user dragging it from their desktop would. */
async function dropFile(page: Page, name: string, content: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], name));
      return data;
    },
    { name, bytes: [...content] },
  );
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer: transfer });
}

const headerCells = (page: Page) => page.locator('.row-table__header [role="columnheader"]').allTextContents();
const rowCells = (page: Page, index: number) =>
  page.locator(`.row-table__row[aria-rowindex="${index + 2}"] > div`).allTextContents();

describe('Upload: a CS manager opens a spreadsheet and sees exactly what was read', () => {
  const session = appSession();

  beforeAll(async () => {
    await session.page.locator('[data-step="upload"]').click();
  });

  it('drops a Salesforce export and sees its summary and rows', async () => {
    const { page } = session;
    await screenshot(page, 'upload-01-empty');
    await dropFile(page, 'accounts.csv', readFileSync(join(FIXTURES, 'accounts.csv')));
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByTestId('file-name').textContent()).toBe('accounts.csv');
    expect(await page.getByTestId('row-count').textContent()).toBe('4 rows');
    expect(await page.getByTestId('column-count').textContent()).toBe('5 columns');
    expect(await page.getByLabel('Header row').inputValue()).toBe('4');
    expect(await page.getByLabel('Delimiter').inputValue()).toBe(',');
    expect(await page.getByLabel('Encoding').inputValue()).toBe('utf-8');
    expect(await headerCells(page)).toEqual(['Row', 'Account ID', 'Account Name', 'Plan', 'MRR', 'Notes']);
    await expect
      .poll(() => rowCells(page, 0))
      .toEqual(['5', '00123', 'Acme, Inc.', 'Enterprise', '12000.50', 'Renewal in Q1; champion: Zoë']);
    expect(await rowCells(page, 3)).toEqual(['8', '00126', 'Beta "Labs"', 'Pro', '1450', '']);
    // Once a file is read, Map is the next step.
    expect(await page.getByRole('button', { name: 'Continue to Map' }).isDisabled()).toBe(false);
    await screenshot(page, 'upload-02-read');
  });

  it('reads the file again at once when the header row is corrected', async () => {
    const { page } = session;
    const header = page.getByLabel('Header row');
    await header.fill('1');
    await header.press('Enter');
    await expect
      .poll(() => headerCells(page))
      .toEqual(['Row', 'Accounts export', 'Column B', 'Column C', 'Column D', 'Column E']);
    expect(await page.getByTestId('row-count').textContent()).toBe('6 rows');
    expect(await page.getByText('Detected: row 4').isVisible()).toBe(true);
    await header.fill('4');
    await header.press('Enter');
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('4 rows');
  });

  it('chooses a file with the button, and lists what was opened before', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await expect.poll(() => page.getByRole('button', { name: /accounts\.csv/ }).isVisible()).toBe(true);
    await page.locator('#file-input').setInputFiles({
      name: 'users;semicolons.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Email;Name;Signup date\nana@acme.io;Ana Lima;28/10/2022\nbo@beta.io;Bo Berg;01/11/2022\n'),
    });
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByLabel('Delimiter').inputValue()).toBe(';');
    expect(await headerCells(page)).toEqual(['Row', 'Email', 'Name', 'Signup date']);
    await screenshot(page, 'upload-03-semicolons');
  });

  it('opens an Excel workbook on its data sheet, with a sheet picker', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await dropFile(page, 'accounts-book.xlsx', readFileSync(join(FIXTURES, 'accounts-book.xlsx')));
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByTestId('file-name').textContent()).toBe('accounts-book.xlsx');
    expect(await page.getByLabel('Sheet').inputValue()).toBe('Accounts');
    expect(await page.getByLabel('Sheet').locator('option').allTextContents()).toEqual([
      'Notes (1 row)',
      'Accounts (5 rows)',
    ]);
    expect(await page.getByLabel('Header row').inputValue()).toBe('3');
    expect(await page.getByLabel('Delimiter').count()).toBe(0);
    expect(await headerCells(page)).toEqual(['Row', 'Account ID', 'Account Name', 'Renewal date', 'Seats', 'MRR']);
    await expect.poll(() => rowCells(page, 0)).toEqual(['4', '00123', 'Acme, Inc.', '2027-01-15', '40', '12000']);
    await screenshot(page, 'upload-04-workbook');
  });

  it('keeps the sheet picker when the chosen sheet has nothing to import', async () => {
    const { page } = session;
    await page.getByLabel('Sheet').selectOption('Notes');
    await expect
      .poll(() => page.getByTestId('upload-error').textContent())
      .toBe('“accounts-book.xlsx” has a header row (row 1) but no rows of data below it.');
    expect(await page.getByRole('button', { name: 'Continue to Map' }).isDisabled()).toBe(true);
    await page.getByLabel('Sheet').selectOption('Accounts');
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByTestId('row-count').textContent()).toBe('2 rows');
  });

  it('scrolls through a hundred thousand rows, fetching them as they come into view', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    const lines = ['id,name,amount'];
    for (let i = 1; i <= 100_000; i++) lines.push(`U${i},User ${i},${i}.5`);
    await page.locator('#file-input').setInputFiles({
      name: 'users-100k.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n') + '\n'),
    });
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByTestId('row-count').textContent()).toBe(`${(100_000).toLocaleString()} rows`);
    const grid = page.getByRole('grid', { name: 'Rows read from the file' });
    expect(await grid.getAttribute('aria-rowcount')).toBe('100001');
    // Only the rows in view are in the page, however many the file has.
    expect(await page.locator('.row-table__row').count()).toBeLessThan(80);
    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect.poll(() => rowCells(page, 99_999)).toEqual(['100001', 'U100000', 'User 100000', '100000.5']);
    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight / 2));
    await expect
      .poll(async () => (await page.locator('.row-table__row').allTextContents()).some((t) => t.includes('User 50000')))
      .toBe(true);
    await screenshot(page, 'upload-05-100k-rows');
  });

  it('shows a file longer than a browser can scroll in windows of half a million rows', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    const rows = 620_000;
    const lines = ['id'];
    for (let i = 1; i <= rows; i++) lines.push(String(i));
    await page.locator('#file-input').setInputFiles({
      name: 'ids.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n') + '\n'),
    });
    await page.locator('[data-upload-phase="ready"]').waitFor({ timeout: 60_000 });
    const windows = page.getByLabel('Showing');
    expect(await windows.locator('option').allTextContents()).toEqual([
      `rows 1–${(500_000).toLocaleString()} of ${rows.toLocaleString()}`,
      `rows ${(500_001).toLocaleString()}–${rows.toLocaleString()} of ${rows.toLocaleString()}`,
    ]);
    await windows.selectOption({ index: 1 });
    const grid = page.getByRole('grid', { name: 'Rows read from the file' });
    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
    // The last data row is row 620,001 of the spreadsheet (its header is row 1).
    await expect.poll(() => rowCells(page, rows - 1)).toEqual([String(rows + 1), String(rows)]);
  });

  it('explains a file that is not a spreadsheet, and keeps working', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await dropFile(page, 'logo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await expect
      .poll(() => page.getByTestId('upload-error').textContent())
      .toBe('“logo.csv” is a PNG image, not a spreadsheet. Choose a CSV, TSV, Excel or OpenDocument file.');
    expect(await page.getByRole('button', { name: 'Continue to Map' }).isDisabled()).toBe(true);
    await screenshot(page, 'upload-06-not-a-spreadsheet');
    await page.getByRole('button', { name: /accounts\.csv/ }).click();
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByTestId('file-name').textContent()).toBe('accounts.csv');
  });
});
