/**
 * What a user sees of the wizard frame, checked the same way in both hosts: the browser through the web host
 * (`wizard-frame.test.ts`) and the Electron window (`test/electron`).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot } from './harness.ts';

export const STEPS = ['Connect', 'Upload', 'Map', 'Preview', 'Send', 'Results'];

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

export async function checkOpensOnConnect(page: Page, shot: string): Promise<void> {
  await expect.poll(() => heading(page)).toBe('Connect');
  const nav = page.getByRole('navigation', { name: 'Import steps' });
  const items = nav.getByRole('listitem');
  expect(await items.count()).toBe(STEPS.length);
  for (const [index, title] of STEPS.entries()) {
    expect(await items.nth(index).locator('.step-nav__title').textContent()).toBe(title);
  }
  expect(await nav.getByRole('button', { name: 'Connect', exact: true }).getAttribute('aria-current')).toBe('step');
  await expect.poll(() => page.getByRole('form', { name: 'Add a workspace' }).isVisible()).toBe(true);
  await screenshot(page, shot);
}

/** Visits every step in order, screenshotting each as `<prefix>-0N-<step>`. */
export async function checkEveryStep(page: Page, prefix: string): Promise<void> {
  for (const [index, title] of STEPS.entries()) {
    await page.locator(`[data-step="${title.toLowerCase()}"]`).click();
    await expect.poll(() => heading(page)).toBe(title);
    const continueButton = page.getByRole('button', { name: /^Continue to/ });
    // Only Connect → Upload is open to a new user; every later Continue waits for the step before it.
    if (index > 0 && index < STEPS.length - 1) expect(await continueButton.isDisabled()).toBe(true);
    await screenshot(page, `${prefix}-0${index + 1}-${title.toLowerCase()}`);
  }
  await page.locator('[data-step="map"]').click();
  await expect
    .poll(() => page.getByRole('heading', { level: 2, name: 'Upload a spreadsheet first.' }).isVisible())
    .toBe(true);
  await page.getByRole('button', { name: 'Go to Upload' }).click();
  await expect.poll(() => heading(page)).toBe('Upload');
  await expect.poll(() => page.getByText('Drop a spreadsheet here').isVisible()).toBe(true);
}

export async function checkHistory(page: Page, shot: string): Promise<void> {
  await page.getByRole('button', { name: 'History' }).click();
  await expect.poll(() => heading(page)).toBe('Past imports');
  await expect.poll(() => page.getByText('No imports yet').isVisible()).toBe(true);
  await screenshot(page, shot);
  await page.getByRole('button', { name: 'Start an import' }).click();
  await expect.poll(() => heading(page)).toBe('Upload');
}

export async function checkAbout(page: Page, dataDir: string, shot: string): Promise<void> {
  await page.getByRole('button', { name: 'About Vitally Importer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Vitally Importer' });
  await dialog.waitFor();
  expect(await dialog.getByTestId('data-dir').textContent()).toBe(dataDir);
  await screenshot(page, shot);
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.isVisible()).toBe(false);
}

export const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

export async function checkThemeIsRemembered(page: Page, shot: string): Promise<void> {
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(() => theme(page)).toBe('dark');
  await page.reload();
  await page.locator('[data-app-state="loaded"]').waitFor();
  await expect.poll(() => theme(page)).toBe('dark');
  expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
  await screenshot(page, shot);
  await page.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(() => theme(page)).toBe('light');
}

export async function checkKeyboard(page: Page): Promise<void> {
  await page.reload();
  await page.locator('[data-app-state="loaded"]').waitFor();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, a[href]')]
      .filter((element) => {
        const labelled = element.getAttribute('aria-label') || element.textContent?.trim();
        return !labelled && !(element instanceof HTMLInputElement && element.labels?.length);
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
  await page.locator('[data-step="upload"]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => heading(page)).toBe('Upload');
  // Focus follows the step change to the new step's title.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-title');
}
