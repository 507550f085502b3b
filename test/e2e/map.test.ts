import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, openInMap, sampleMessages, screenshot } from './harness.ts';

const USERS = [
  'Account ID,Account Name,User ID,E-mail,Signup date,Seats',
  'A1,Acme,U1,ana@acme.io,03/04/2024,40',
  'A1,Acme,U2,bo@acme.io,28/10/2022,40',
  'A2,Beta,U3,cy@beta.io,01/11/2022,3',
  'A3,Gamma,,dee@gamma.io,01/01/2023,5',
].join('\n');

describe('Map and Preview: suggestions become a mapping; every row is checked and the batches shown', () => {
  const session = appSession();
  let page: Page;

  beforeAll(async () => {
    page = session.page;
    await openInMap(page, 'users.csv', USERS);
  });

  const sample = () => sampleMessages(page);

  it('suggests an account and a user per row, with the columns as their fields and traits', async () => {
    expect(await page.getByLabel('Account ID').first().inputValue()).toBe('Account ID');
    expect(await page.locator('#user-userId').inputValue()).toBe('User ID');
    expect(await page.getByLabel('Trait name for “E-mail”').inputValue()).toBe('email');
    await expect.poll(async () => (await sample()).length).toBeGreaterThan(0);
    const messages = await sample();
    expect(messages[0]).toMatchObject({ type: 'account', accountId: 'A1', traits: { name: 'Acme' } });
    expect(messages.find((m) => m.type === 'user' && m.userId === 'U2')).toMatchObject({
      traits: { email: 'bo@acme.io', createdAt: '2022-10-28', seats: 40 },
    });
  });

  it('reads the dates day first, as their values say; unclear dates name both readings until the order is chosen', async () => {
    // 28/10/2022 can only be day first, so the column is suggested as day first, and 03/04/2024 is 3 April.
    expect(await page.getByLabel('Date order of “Signup date”').inputValue()).toBe('DMY');
    await expect
      .poll(async () => (await sample()).find((m) => m.userId === 'U1')?.traits)
      .toMatchObject({ createdAt: '2024-04-03' });
    await page.getByLabel('Date order of “Signup date”').selectOption('');
    await expect
      .poll(() => page.locator('.problem--error').first().textContent())
      .toBe(
        'Row 2, column “Signup date”: “03/04/2024” could be 3 April 2024 (day first) or 4 March 2024 (month first): choose the date order (day first or month first) for this column.',
      );
    await screenshot(page, 'map-01-suggested');
    await page.getByLabel('Date order of “Signup date”').selectOption('DMY');
    await expect.poll(() => page.locator('.problem--error').count()).toBe(0);
    await expect
      .poll(async () => (await sample()).find((m) => m.userId === 'U1')?.traits)
      .toMatchObject({ createdAt: '2024-04-03' });
    expect(await page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
  });

  it('says what a mapping still lacks', async () => {
    await page.locator('#user-userId').selectOption('');
    await expect
      .poll(() => page.getByRole('list', { name: 'Still needed' }).textContent())
      .toContain('User messages need a user ID.');
    expect(await page.getByRole('button', { name: 'Continue to Preview' }).isDisabled()).toBe(true);
    await page.locator('#user-userId').selectOption('User ID');
    await expect.poll(() => page.getByRole('list', { name: 'Still needed' }).count()).toBe(0);
    await screenshot(page, 'map-02-ready');
    await page.setViewportSize({ width: 1280, height: 1500 });
    await screenshot(page, 'map-03-whole-step');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('checks every row in Preview, explains the one that cannot be sent, and shows the exact batch', async () => {
    const sampled = await sample();
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    expect(await page.getByTestId('rows').textContent()).toBe('4');
    expect(await page.getByTestId('sendable-rows').textContent()).toBe('3');
    expect(await page.getByTestId('error-rows').textContent()).toBe('1');
    expect(await page.getByTestId('messages').textContent()).toContain('2 accounts · 3 users');
    expect(await page.getByTestId('repeats').textContent()).toBe('1 repeat of the same record left out');
    const problems = page
      .getByRole('grid', { name: 'Rows to send' })
      .locator('.review-grid__problems[role="gridcell"]');
    await expect
      .poll(() => problems.allTextContents())
      .toEqual(['“User ID”: is empty, and every user message needs a user ID.']);
    const json = page.getByTestId('batch-json');
    await expect.poll(async () => (await json.getAttribute('data-body'))?.includes('"U3"')).toBe(true);
    const batch = JSON.parse((await json.getAttribute('data-body')) ?? '[]') as Record<string, unknown>[];
    // Account A1 is on rows 2 and 3 and is sent once.
    expect(batch.map((m) => m.type)).toEqual(['account', 'user', 'user', 'account', 'user']);
    expect(new Set(batch.map((m) => m.timestamp)).size).toBe(1);
    // The Map step's sample showed the very messages sent, ids and time included.
    const user = (messages: Record<string, unknown>[]) => messages.find((m) => m.userId === 'U1');
    expect(user(batch)).toEqual(user(sampled));
    await page.setViewportSize({ width: 1280, height: 1200 });
    await screenshot(page, 'preview-01-checked');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
