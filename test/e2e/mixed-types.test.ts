import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOC_EXAMPLE_CSV } from '../support/doc-example.ts';
import { appSession, openInMap, PROJECT_DIR, sampleMessages, screenshot, uploadCsv } from './harness.ts';

// One sheet with accounts and users on their own rows, told apart by a Type column.
const MIXED = [
  'Type,Account ID,Account Name,User ID,E-mail',
  'account,A1,Acme,,',
  'user,A1,,U1,ana@acme.io',
  'Contact,A1,,U2,bo@acme.io',
  'partner,A2,Beta,,',
].join('\n');

describe('a sheet whose Type column says what each row is', () => {
  const session = appSession();
  const sample = () => sampleMessages(session.page);

  it('makes from each row only the message its type names, and explains a type it does not make', async () => {
    const { page } = session;
    await openInMap(page, 'mixed.csv', MIXED);
    await page.getByLabel('Which of these messages a row makes').selectOption('Type');
    await expect
      .poll(async () => (await sample()).map((m) => `${String(m.type)}:${String(m.accountId)}`))
      .toEqual(['account:A1', 'user:A1', 'user:A1']);
    const messages = await sample();
    expect(messages[0]).toMatchObject({ traits: { name: 'Acme' } });
    expect(messages[1]).toMatchObject({ userId: 'U1', traits: { email: 'ana@acme.io' } });
    expect(JSON.stringify(messages)).not.toContain('"type":"account","accountId":"A1","traits":{"type"');
    await screenshot(page, 'map-05-type-column');

    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    expect(await page.getByTestId('messages').textContent()).toContain('1 account · 2 users');
    const problems = page.getByRole('grid', { name: 'Rows to send' }).locator('[data-row="5"] .review-grid__problems');
    await expect
      .poll(() => problems.textContent())
      .toBe('“Type”: “partner” is not a message type this mapping makes (account, user).');
  });
});

describe('the Vitally documentation’s example, as a spreadsheet with a type column', () => {
  const session = appSession();

  it('becomes the documented batch through the Map step alone, one name column feeding four message types', async () => {
    const { page } = session;
    await uploadCsv(page, 'vitally-example.csv', DOC_EXAMPLE_CSV);
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    await page.getByTestId('message-customobjectinstance').waitFor();
    expect(await page.getByLabel('Which of these messages a row makes').inputValue()).toBe('type');
    // One `name` column: the organization’s, the account’s and the user’s name, and the custom object’s name field.
    const nameAs = (what: string) => page.getByLabel(`Send “name” as ${what}`);
    expect(await nameAs('organization trait').isChecked()).toBe(true);
    expect(await nameAs('account trait').isChecked()).toBe(true);
    expect(await nameAs('user trait').isChecked()).toBe(true);
    expect(await nameAs('custom object trait').isChecked()).toBe(false);
    expect(await page.locator('tr[data-column="name"] .map-used-as').textContent()).toBe(
      'Used as name (custom object)',
    );
    // Untick and tick again: the user’s name leaves the user message, then comes back.
    await nameAs('user trait').uncheck();
    await expect.poll(() => page.getByTestId('sample-message').nth(2).textContent()).not.toContain('Lionel Messi');
    await nameAs('user trait').check();
    await expect.poll(() => page.getByTestId('sample-message').nth(2).textContent()).toContain('Lionel Messi');
    await page.setViewportSize({ width: 1280, height: 1600 });
    await screenshot(page, 'map-06-documentation-example');
    await page.setViewportSize({ width: 1280, height: 800 });

    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    const json = page.getByTestId('batch-json');
    await expect.poll(async () => (await json.getAttribute('data-body'))?.includes('coi-789xyz')).toBe(true);
    const batch = JSON.parse((await json.getAttribute('data-body')) ?? '[]') as unknown;
    const expected = JSON.parse(
      readFileSync(join(PROJECT_DIR, 'test', 'fixtures', 'vitally-doc-batch.json'), 'utf8'),
    ) as unknown;
    expect(batch).toEqual(expected);
  });
});
