import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, openInMap, sampleMessages, screenshot } from './harness.ts';

// A CRM contacts export: two columns named Email (shown as “Email” and “Email (2)”), tags in one cell, a phone
// column Excel turned into dates, and a last-seen time with no zone.
const CONTACTS = [
  'Account ID,Customer,User ID,Email,Email,Tags,Phone,Last seen',
  'A1,C1,U1,ana@acme.io,ana.private@mail.io,beta;vip,0176 1234567,2024-07-15 09:30',
  'A1,C1,U2,,bo@mail.io,vip,1-Mar,2024-07-16 10:00',
  'A2,C2,U3,cy@beta.io,,,0176 7654321,2024-07-17 11:15',
].join('\n');

describe('Map: what the mapping would drop, merge or hide is shown, with one-click fixes', () => {
  const session = appSession();
  let page: Page;
  const sample = () => sampleMessages(page);
  const problems = () => page.getByTestId('mapping-problems').locator('li');
  const user = async (id: string) => (await sample()).find((m) => m.type === 'user' && m.userId === id);

  beforeAll(async () => {
    page = session.page;
    await openInMap(page, 'contacts.csv', CONTACTS);
  });

  it('maps two Email columns to two traits by default, and says so when both are made “email”', async () => {
    expect(await page.getByLabel('Trait name for “Email”').inputValue()).toBe('email');
    expect(await page.getByLabel('Trait name for “Email (2)”').inputValue()).toBe('email2');
    await expect.poll(async () => (await user('U1'))?.traits).toMatchObject({ email: 'ana@acme.io' });
    expect(await page.getByTestId('mapping-problems').count()).toBe(0);

    await page.getByLabel('Trait name for “Email (2)”').fill('email');
    await expect
      .poll(() => problems().first().locator('p').textContent())
      .toBe(
        'Two sources for one target: the columns “Email” and “Email (2)” are both sent as the user trait “email”, and a message can hold only one value for it. Choose one, or combine them: the first of them that is filled.',
      );
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isDisabled()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await screenshot(page, 'map-10-two-sources');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Combine: the first filled of “Email” and “Email (2)”' }).click();
    await expect.poll(() => page.getByTestId('mapping-problems').count()).toBe(0);
    // Row 3 has no first Email: the second one is sent.
    await expect.poll(async () => (await user('U2'))?.traits).toMatchObject({ email: 'bo@mail.io' });
    expect((await user('U1'))?.traits).toMatchObject({ email: 'ana@acme.io' });
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
  });

  it('shows a column used as an ID and as a trait, and takes the trait away in one click', async () => {
    // “Customer” is a user trait first; then the user makes it the account’s ID.
    expect(await page.getByLabel('Send “Customer” as user trait').isChecked()).toBe(true);
    await page.locator('#account-accountId').selectOption('Customer');
    await expect
      .poll(() => page.locator('[data-code="id-and-trait"] p').textContent())
      .toBe('The column “Customer” is the account’s account ID, and is also sent as the user trait “customer”.');
    // The Columns table shows both uses.
    expect(await page.locator('tr[data-column="Customer"] .map-used-as').textContent()).toBe(
      'Used as account ID (account)',
    );
    expect(await page.getByLabel('Send “Customer” as user trait').isChecked()).toBe(true);
    await screenshot(page, 'map-11-id-and-trait');
    await page.getByRole('button', { name: 'Stop sending “Customer” as a trait' }).click();
    await expect.poll(() => page.locator('[data-code="id-and-trait"]').count()).toBe(0);
    await expect.poll(async () => Object.keys((await user('U1'))?.traits ?? {})).not.toContain('customer');
  });

  it('splits a multi-select column on the separator chosen in Map', async () => {
    await page.getByLabel('Type of “Tags”').selectOption('multiselect');
    await expect
      .poll(() => page.locator('.map-sample .problem--error').first().textContent())
      .toContain('is not a list like ["green", "red"] (or choose a separator for this column)');
    await page.getByLabel('Separator of “Tags”').selectOption(';');
    await expect.poll(async () => (await user('U1'))?.traits?.tags).toEqual(['beta', 'vip']);
    await expect.poll(() => page.locator('.map-sample .problem--error').count()).toBe(0);
  });

  it('warns about a cell Excel turned into a date, and states the time zone of times without one', async () => {
    await expect
      .poll(() => page.locator('.map-sample .problem--warning').allTextContents())
      .toContain(
        'Row 3, column “Phone”: “1-Mar” looks like a number or code Excel turned into a date (such as 1-3 or 3/1); check the original value.',
      );
    await page.getByLabel('Type of “Last seen”').selectOption('datetime');
    const zone = page.getByLabel('Date-times written without a time zone are in');
    await expect.poll(() => zone.locator('option:checked').textContent()).toMatch(/^This computer’s time zone \(.+\)$/);
    await zone.selectOption('America/New_York');
    await expect.poll(async () => (await user('U1'))?.traits?.lastSeen).toBe('2024-07-15T13:30:00.000Z');
    await page.setViewportSize({ width: 1280, height: 1700 });
    await screenshot(page, 'map-12-controls');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('follows the columns of a file read again, and blocks on a mapped column that is gone, naming it', async () => {
    await page.locator('[data-step="upload"]').click();
    const header = page.getByLabel('Header row');
    await header.fill('2');
    await header.press('Enter');
    await page.locator('[data-upload-phase="ready"]').waitFor();
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('2 rows');
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    // The sample and the suggestions are those of the new columns, not the old ones.
    await expect
      .poll(() => page.locator('[data-code="missing-column"] p').first().textContent())
      .toContain('The file has no column “Customer” any more');
    expect(await page.locator('tr[data-column="ana@acme.io"]').count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isDisabled()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await screenshot(page, 'map-13-column-gone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Start again from the suggestions for the file’s columns' }).first().click();
    await expect.poll(() => page.locator('[data-code="missing-column"]').count()).toBe(0);
  });

  it('shows the mapping’s problems again in Preview, and checks nothing while a mapped column is gone', async () => {
    // Read with its first data row as the header, the file has no header that names an ID: its email addresses
    // tell its people apart, and their account is chosen by hand.
    expect(await page.locator('#user-userId').inputValue()).toBe('ana@acme.io');
    await page.locator('#user-accountId').selectOption('A1');
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();

    // Read again with the first row as the header: the columns the mapping uses (A1, U1…) are gone.
    await page.locator('[data-step="upload"]').click();
    const header = page.getByLabel('Header row');
    await header.fill('1');
    await header.press('Enter');
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('3 rows');
    await page.locator('[data-step="preview"]').click();
    await expect
      .poll(() => page.getByTestId('mapping-problems').locator('[data-code="missing-column"] p').allTextContents())
      .toContainEqual(expect.stringContaining('The file has no column “A1” any more'));
    expect(await page.locator('.preview-step').getAttribute('data-preview-state')).not.toBe('ready');
    expect(await page.getByTestId('rows').count()).toBe(0);
    await screenshot(page, 'preview-10-mapping-problems');
    await page.getByRole('button', { name: 'Fix the mapping in Map' }).click();
    await expect.poll(() => page.locator('.map-step [data-code="missing-column"]').count()).toBeGreaterThan(0);
  });
});
