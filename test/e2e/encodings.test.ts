import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appSession, PROJECT_DIR, screenshot, uploadCsv } from './harness.ts';

// A UTF-8 export with accents in rows 2 and 4 and in a column name; read as Windows-1252 they become mojibake.
const USERS = [
  'Account ID,Account Name,User ID,E-mail,Straße',
  'A1,Größe & Söhne,U1,ana@acme.io,München',
  'A2,Acme,U2,bo@acme.io,Berlin',
  'A3,Café Zoë,U3,cy@cafe.io,Köln',
].join('\n');

const fixture = (name: string) => readFileSync(join(PROJECT_DIR, 'test', 'fixtures', 'encodings', name));

/** Opens a file of raw bytes in Upload, in place of the open one. */
async function uploadBytes(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.locator('[data-step="upload"]').click();
  await page.getByRole('button', { name: 'Choose another file' }).click();
  await page.locator('#file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
  await page.locator('[data-upload-phase="ready"]').waitFor();
}

describe('Encodings: legacy files read as written, and text read in the wrong encoding flagged', () => {
  const session = appSession();
  const encoding = () => session.page.getByLabel('Encoding');
  const detection = () => session.page.getByTestId('encoding-detection').textContent();
  const notes = () => session.page.getByRole('list', { name: 'Notes about this file' }).textContent();

  it('offers every encoding, says how sure the detection is, and warns on Upload when the choice is wrong', async () => {
    const { page } = session;
    await uploadCsv(page, 'users.csv', USERS);
    expect(await encoding().inputValue()).toBe('utf-8');
    expect(await detection()).toBe('Detected, 99% sure');
    const offered = await encoding()
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['shift_jis', 'gb18030', 'big5', 'euc-kr', 'windows-1250']));
    expect(offered.length).toBe(39);

    await encoding().selectOption('windows-1252');
    await expect.poll(() => page.getByText('GrÃ¶ÃŸe & SÃ¶hne').count()).toBeGreaterThan(0);
    expect(await detection()).toBe('Detected: UTF-8 (99% sure)');
    expect(await notes()).toContain('The name of column E “StraÃŸe” looks wrongly decoded.');
    expect(await notes()).toContain(
      '2 rows have text that looks wrongly decoded: “Ã¶” is probably “ö” read in the wrong encoding. The file may ' +
        'use another encoding: try choosing one.',
    );
    await screenshot(page, 'encodings-01-upload-wrong-encoding');
  });

  it('shows a warning in Preview on each cell read wrongly, and still lets the rows be sent', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Continue to Map' }).click();
    await page.getByTestId('message-user').waitFor();
    expect(await page.getByTestId('misread-column-names').textContent()).toContain(
      'The name of column E “StraÃŸe” looks wrongly decoded.',
    );
    await screenshot(page, 'encodings-02-map-misread-name');
    await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    expect(await page.getByTestId('sendable-rows').textContent()).toBe('3');
    await page.getByRole('radio', { name: /With warnings/ }).check();
    const grid = page.getByRole('grid', { name: 'Rows to send' });
    const name = grid.locator('[data-row="2"] [data-column="Account Name"]');
    await name.waitFor();
    expect(await name.getAttribute('class')).toContain('review-grid__cell--warning');
    expect(await grid.locator('[data-row="4"] [data-column="StraÃŸe"]').getAttribute('class')).toContain(
      'review-grid__cell--warning',
    );
    expect(await grid.locator('[data-row="3"]').count()).toBe(0);
    expect(await grid.locator('[data-row="2"] .review-grid__problems').textContent()).toContain(
      '“Account Name”: “GrÃ¶ÃŸe & SÃ¶hne” looks wrongly decoded: “Ã¶” is probably “ö” read in the wrong encoding; ' +
        'the file may be in another encoding: choose it in Upload.',
    );
    await screenshot(page, 'encodings-03-preview-warnings');
  });

  it('reads a Shift_JIS and a Windows-1250 export as they were written', async () => {
    const { page } = session;
    await uploadBytes(page, 'contacts-shift_jis.csv', fixture('contacts-shift_jis.csv'));
    expect(await encoding().inputValue()).toBe('shift_jis');
    expect(await detection()).toMatch(/^Detected, 9\d% sure$/);
    await page.getByText('株式会社テスト').first().waitFor();
    await screenshot(page, 'encodings-04-upload-shift-jis');

    await uploadBytes(page, 'contacts-windows-1250.csv', fixture('contacts-windows-1250.csv'));
    expect(await encoding().inputValue()).toBe('windows-1250');
    await page.getByText('Łódzkie Zakłady Włókiennicze').first().waitFor();
    expect(await page.getByRole('list', { name: 'Notes about this file' }).count()).toBe(0);
  });
});
