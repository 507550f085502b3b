import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appSession, openInMap, screenshot, uploadCsv } from './harness.ts';

const WEEK_1 = ['Account ID,Account Name,User ID,E-mail', 'A1,Acme,U1,ana@acme.io'].join('\n');
const WEEK_2 = ['E-mail,User ID,Account Name,Account ID', 'bo@beta.io,U2,Beta,A2'].join('\n');

describe('mapping templates: save a mapping, have it offered for the next file, share it as a file', () => {
  const session = appSession();
  let exported = '';

  it('saves the mapping under a name and exports it as a template file', async () => {
    const { page } = session;
    await openInMap(page, 'week-1.csv', WEEK_1);
    await page.getByLabel('When the same account appears on several rows').selectOption('last');
    await page.getByRole('button', { name: 'Save as template…' }).click();
    await page.getByLabel('Template name').fill('Weekly users');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as the template “Weekly users”.').waitFor();

    await page.getByText('Saved templates (1)').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Weekly users.vitally-mapping.json');
    exported = readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(exported)).toMatchObject({
      format: 'vitally-importer-mapping',
      version: 1,
      name: 'Weekly users',
      columns: ['Account ID', 'Account Name', 'User ID', 'E-mail'],
      mapping: { conflicts: 'last' },
    });
  });

  it('offers the template for a file with the same columns in another order, and uses it in one click', async () => {
    const { page } = session;
    await uploadCsv(page, 'week-2.csv', WEEK_2);
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    const offer = page.getByRole('button', { name: 'Use “Weekly users”' });
    await offer.waitFor();
    expect(await page.getByLabel('When the same account appears on several rows').inputValue()).toBe('flag');
    await screenshot(page, 'map-04-template-offered');
    await offer.click();
    await expect.poll(() => page.getByLabel('When the same account appears on several rows').inputValue()).toBe('last');
    await expect
      .poll(async () => page.getByTestId('sample-message').allTextContents())
      .toContainEqual(expect.stringContaining('"userId": "U2"'));
  });

  it('imports a shared template without overwriting the one of the same name', async () => {
    const { page } = session;
    await page
      .getByLabel('Template file')
      .setInputFiles({ name: 'shared.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.getByText('Imported the template “Weekly users (2)”. It fits this file.').waitFor();
    await page
      .getByLabel('Template file')
      .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"a":1}') });
    await page.getByText('This file is not a Vitally Importer mapping template.').waitFor();
  });
});
