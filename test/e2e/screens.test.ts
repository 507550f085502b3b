import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appSession, screenshot } from './harness.ts';

/**
 * What is cut off on the screen as it is now: the page wider than the window, a dropdown whose chosen text does not
 * fit it, or text clipped by a box that cannot be scrolled. Each in words, empty when nothing is.
 */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      // Text kept for screen readers only is 1px wide on purpose.
      return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== 'hidden';
    };
    const name = (el: Element) =>
      el.getAttribute('aria-label') ??
      (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
      el.closest('label')?.textContent?.slice(0, 60) ??
      el.tagName.toLowerCase();
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      found.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
    const canvas = document.createElement('canvas').getContext('2d');
    for (const select of document.querySelectorAll('select')) {
      if (!visible(select) || !canvas) continue;
      const style = getComputedStyle(select);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = select.selectedOptions[0]?.textContent ?? '';
      // The room left for the text: the box less its padding and the arrow.
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
      const width = canvas.measureText(text).width;
      if (width > room)
        found.push(`the dropdown “${name(select)}” cuts “${text}” (${Math.round(width)}px in ${room}px)`);
    }
    for (const el of document.querySelectorAll('main *, header *, nav *, [role="dialog"] *')) {
      if (!visible(el) || el.tagName === 'SELECT' || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') continue;
      const style = getComputedStyle(el);
      const clips = (overflow: string) => overflow === 'hidden' || overflow === 'clip';
      // A spreadsheet grid's cells are as wide as their column and end in an ellipsis, as a spreadsheet's do.
      const gridCell = style.textOverflow === 'ellipsis' && el.closest('[role="grid"], [role="table"], table') !== null;
      if (
        clips(style.overflowX) &&
        !gridCell &&
        el.scrollWidth > el.clientWidth + 1 &&
        (el.textContent ?? '').trim() !== ''
      )
        found.push(`“${(el.textContent ?? '').trim().slice(0, 60)}” is cut at its right edge`);
    }
    return found;
  });
}

/** Screenshots the screen in both themes as `screen-<name>-<theme>`, and checks nothing on it is cut off. */
async function look(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.locator(`[data-theme="${scheme}"]`).first().waitFor();
    await screenshot(page, `screen-${name}-${scheme}`);
    expect(await cutOff(page), `${name} (${scheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('every screen at 1280×800, in both themes, with nothing cut off', () => {
  const session = appSession();

  it('from the welcome to History, through a practice import of the sample', async () => {
    const { page } = session;
    await page.getByTestId('welcome').waitFor();
    await look(page, '01-welcome');

    await page.getByRole('button', { name: 'Try it without Vitally' }).click();
    const card = page.getByRole('article', { name: 'Practice (nothing reaches Vitally)' });
    await expect.poll(() => card.getByTestId('test-result').textContent()).toContain('did not refuse');
    await look(page, '02-connect');

    await page.getByRole('button', { name: /^Continue to Upload/ }).click();
    await page.locator('[data-upload-phase="empty"]').waitFor();
    await look(page, '03-upload-empty');
    await page.getByRole('button', { name: 'Open the sample contacts file' }).click();
    await page.locator('[data-upload-phase="ready"]').waitFor();
    await look(page, '04-upload-read');

    await page.getByRole('button', { name: /^Continue to Map/ }).click();
    await page.getByTestId('message-user').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await expect.poll(() => page.getByTestId('sample-message').count()).toBeGreaterThan(0);
    await look(page, '05-map');

    await page.getByRole('button', { name: /^Continue to Preview/ }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    await look(page, '06-preview');

    await page.getByRole('button', { name: /^Continue to Send/ }).click();
    await look(page, '07-send');
    await page.getByRole('button', { name: /^Send all/ }).click();
    await page.locator('[data-send-state="finished"]').waitFor({ timeout: 60_000 });
    await look(page, '08-send-finished');

    await page.locator('[data-step="results"]').click();
    await expect.poll(() => page.getByText('U-1017').count()).toBeGreaterThan(0);
    await look(page, '09-results');

    await page.getByRole('button', { name: 'History' }).first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Past imports');
    await look(page, '10-history');

    await page.getByRole('button', { name: 'About Vitally Importer' }).click();
    await page.getByRole('dialog', { name: 'Vitally Importer' }).waitFor();
    await look(page, '11-about');
    await page.keyboard.press('Escape');
  });
});
