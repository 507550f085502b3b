import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp.ts';
import { appSession, screenshot } from './harness.ts';

/**
 * A file 20,000 columns wide stays responsive: on Upload only the columns in view are rendered (and its rows are
 * fetched a few at a time), so scrolling to its last column is a few dozen cells per row, never 20,000; Map lists
 * its columns a page at a time with a search. No frame on Upload takes over 200 ms.
 */
const COLUMNS = 20_000;
const ROWS = 40;

function wideCsv(): string {
  const header = Array.from({ length: COLUMNS }, (_, c) => `Field ${c + 1}`).join(',');
  const rows = Array.from({ length: ROWS }, (_, r) =>
    Array.from({ length: COLUMNS }, (_, c) => (c % 997 === 0 ? `r${r + 2}c${c + 1}` : String((r * 31 + c) % 100))).join(
      ',',
    ),
  );
  return [header, ...rows].join('\n') + '\n';
}

/** Starts recording the page's frames that took longest (Chromium's long-animation-frame entries). */
async function recordFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = window as unknown as { longestFrame: number };
    record.longestFrame = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.longestFrame = Math.max(record.longestFrame, entry.duration);
    }).observe({ type: 'long-animation-frame', buffered: false });
  });
}
const longestFrame = (page: Page) => page.evaluate(() => (window as unknown as { longestFrame: number }).longestFrame);

/** The cells rendered in the table, and the most in any one row. */
const rendered = (page: Page) =>
  page.evaluate(() => {
    const rows = [...document.querySelectorAll('.row-table [role="row"]')];
    const perRow = rows.map((row) => row.querySelectorAll('[role="gridcell"], [role="columnheader"]').length);
    return { rows: rows.length, mostInARow: Math.max(0, ...perRow) };
  });

describe('a file of 20,000 columns', () => {
  const session = appSession();

  it('is read and shown on Upload a screen of columns at a time, to its last column, with no long frame', async () => {
    const { page } = session;
    await recordFrames(page);
    // Chosen from disk, as a user does: the browser reads the file, not a script in the page.
    const file = join(tempDir(), 'wide.csv');
    writeFileSync(file, wideCsv());
    await page.locator('[data-step="upload"]').click();
    await page.locator('#file-input').setInputFiles(file);
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByTestId('column-count').textContent()).toBe('20,000 columns');
    const grid = page.getByRole('grid', { name: 'Rows read from the file' });
    await expect.poll(() => grid.locator('[aria-rowindex="2"] [aria-colindex="2"]').textContent()).toBe('r2c1');
    expect(await grid.getAttribute('aria-colcount')).toBe(String(COLUMNS + 1));
    const first = await rendered(page);
    expect(first.mostInARow).toBeLessThan(40);
    await screenshot(page, 'wide-01-upload');

    // To the last column, as a user dragging the scrollbar all the way right.
    await grid.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
    await expect.poll(() => grid.locator('[role="columnheader"]').last().textContent()).toBe(`Field ${COLUMNS}`);
    await expect
      .poll(() => grid.locator(`[aria-rowindex="2"] [aria-colindex="${COLUMNS + 1}"]`).textContent())
      .toBe(String((0 * 31 + COLUMNS - 1) % 100));
    // The row number stays in view at the left.
    expect(await grid.locator('[aria-rowindex="2"] [role="rowheader"]').isVisible()).toBe(true);
    expect((await rendered(page)).mostInARow).toBeLessThan(40);

    // Then down through the rows, and back to the middle.
    await grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await expect
      .poll(() => grid.locator(`[aria-rowindex="${ROWS + 1}"] [role="rowheader"]`).textContent())
      .toBe(String(ROWS + 1));
    await grid.evaluate((element) => element.scrollTo({ left: element.scrollWidth / 2, top: 0 }));
    const middle = `Field ${Math.round(COLUMNS / 2)}`;
    await expect
      .poll(async () => (await grid.locator('[role="columnheader"]').allTextContents()).some((t) => t === middle))
      .toBe(true);
    await screenshot(page, 'wide-02-upload-scrolled');
    expect(await longestFrame(page)).toBeLessThan(200);
  }, 120_000);

  it('lists its columns on Map a page at a time, and finds any one by name', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    const list = page.locator('section.map-columns');
    await expect
      .poll(() => list.getByRole('status').textContent(), { timeout: 60_000 })
      .toBe('This file has 20,000 columns: showing the first 100. Find one by name, or show more below.');
    expect(await list.locator('tbody tr[data-column]').count()).toBe(100);
    await list.getByRole('button', { name: 'Show 100 more columns' }).click();
    expect(await list.locator('tbody tr[data-column]').count()).toBe(200);
    await list.getByLabel('Find a column').fill('Field 19999');
    await expect.poll(() => list.locator('tbody tr[data-column]').count()).toBe(1);
    expect(await list.locator('tbody tr[data-column="Field 19999"]').isVisible()).toBe(true);
    expect(await list.getByRole('status').textContent()).toBe('1 of 20,000 columns match; showing 1.');
    await screenshot(page, 'wide-03-map-find');
    // Not yet within 200 ms a frame here: the message editor's field pickers still list every column as an option
    // (a first frame of seconds at 20,000 columns). The column list above is paged; the pickers are next.
  }, 120_000);
});
