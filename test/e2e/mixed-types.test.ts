import { describe, expect, it } from 'vitest';
import { appSession, screenshot, uploadCsv } from './harness.ts';

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
  const sample = async () =>
    (await session.page.getByTestId('sample-message').allTextContents()).map(
      (text) => JSON.parse(text) as Record<string, unknown>,
    );

  it('makes from each row only the message its type names, and explains a type it does not make', async () => {
    const { page } = session;
    await uploadCsv(page, 'mixed.csv', MIXED);
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    await page.getByTestId('message-user').waitFor();
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
