import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appSession, screenshot } from './harness.ts';

/**
 * Presses Tab until the focused element is the control named `name` (never more than `limit` times), checking
 * on the way that every focused element shows where focus is; then returns. Fails if the control cannot be
 * reached with the keyboard.
 */
async function tabTo(page: Page, name: string | RegExp, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const label =
        element.getAttribute('aria-label') ??
        (element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null) ??
        element.textContent ??
        '';
      const rect = element.getBoundingClientRect();
      return {
        label: label.replace(/\s+/g, ' ').trim(),
        visibleFocus: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
        onScreen: rect.width > 1 && rect.height > 1,
      };
    });
    if (!focused) continue;
    expect(focused.onScreen, `focus on an element nobody can see (“${focused.label}”)`).toBe(true);
    expect(focused.visibleFocus, `no visible focus on “${focused.label}”`).toBe(true);
    if (typeof name === 'string' ? focused.label === name : name.test(focused.label)) return;
  }
  throw new Error(`“${String(name)}” could not be reached with Tab.`);
}

/** Tabs to a control and presses Enter on it. */
async function activate(page: Page, name: string | RegExp): Promise<void> {
  await tabTo(page, name);
  await page.keyboard.press('Enter');
}

describe('a first run that teaches, with the keyboard alone', () => {
  const session = appSession();

  it('welcomes, then imports the sample into the practice workspace without a mouse, one refused row shown', async () => {
    const { page } = session;
    const welcome = page.getByTestId('welcome');
    await welcome.waitFor();
    expect(await welcome.textContent()).toContain('five steps');
    await screenshot(page, 'first-run-01-welcome');

    await activate(page, 'Try it without Vitally');
    const card = page.getByRole('article', { name: 'Practice (nothing reaches Vitally)' });
    await expect.poll(() => card.getByTestId('test-result').textContent()).toContain('did not refuse');
    await expect.poll(() => page.locator('#step-detail-connect').textContent()).toBe('Done');
    await screenshot(page, 'first-run-02-practice');

    await activate(page, /^Continue to Upload/);
    await page.locator('[data-upload-phase="empty"]').waitFor();
    await activate(page, 'Open the sample contacts file');
    await page.locator('[data-upload-phase="ready"]').waitFor();
    expect(await page.getByText('24 rows').count()).toBeGreaterThan(0);
    await screenshot(page, 'first-run-03-sample');

    await activate(page, /^Continue to Map/);
    await page.getByTestId('message-user').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await activate(page, /^Continue to Preview/);
    await page.locator('[data-preview-state="ready"]').waitFor();
    // The grid is one Tab stop; the arrow keys move inside it and Enter edits the cell.
    await tabTo(page, 'Send row 2');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Row 3, First Name: Grace. Edit',
    );
    await activate(page, /^Continue to Send/);
    await activate(page, /^Send all/);
    await page.locator('[data-send-state="finished"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'first-run-04-sent');
    expect(await page.getByTestId('rejected').textContent()).toBe('1');

    await page.locator('[data-step="results"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('U-1017').count()).toBeGreaterThan(0);
    await screenshot(page, 'first-run-05-results');
  });
});
