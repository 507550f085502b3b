/** The steps of sending in the browser: all rows, and a re-run of the refused ones from a corrected file. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { chooseCsv } from './harness.ts';

/** From a checked Preview: sends all `rows` rows, waits until the send has finished, and opens its Results. */
export async function sendAllAndSeeResults(page: Page, rows: number): Promise<void> {
  await page.getByRole('button', { name: 'Continue to Send' }).click();
  await page.getByRole('button', { name: `Send all ${rows} rows` }).click();
  await expect.poll(() => page.locator('.send-progress strong').textContent(), { timeout: 30_000 }).toBe('Finished');
  await page.getByRole('button', { name: 'See the results' }).click();
  await page.getByTestId('outcome-by-type').waitFor();
}

/** Waits until the re-run that was started has finished. */
export async function rerunFinished(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('.send-progress strong').textContent(), { timeout: 30_000 })
    .toMatch(/^Re-run finished/);
}

/** From Results: loads a corrected CSV file made of `text` for the re-run, and waits until it is read. */
export async function loadCorrectedFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Load the corrected file' }).click();
  await chooseCsv(page, name, text);
}
