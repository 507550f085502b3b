import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addWorkspace, appSession, checkCsv, previewAsSuggested, screenshot } from './harness.ts';
import { loadCorrectedFile, rerunFinished, sendAllAndSeeResults } from './send-steps.ts';

/** Users with IDs as a billing system writes them (0003); Vitally refuses three e-mail addresses. */
const REFUSED = [3, 7, 10];
const id = (i: number) => String(i).padStart(4, '0');
const bad = (i: number) => `w${i}@old-domain.invalid`;
const good = (i: number) => `w${i}@example.com`;
const users = [
  'Account ID,User ID,E-mail',
  ...Array.from({ length: 12 }, (_, k) => {
    const i = k + 1;
    return `W${i % 3},${id(i)},${REFUSED.includes(i) ? bad(i) : good(i)}`;
  }),
].join('\n');

describe('a corrected file the re-run holds rows of: IDs Excel changed, a failed row twice', () => {
  const session = appSession({
    emulator: {
      token: 'rerun-held-token-7e2a',
      refuse: { field: 'traits.email', value: REFUSED.map(bad) },
    },
  });

  it('says which rows are held and why, sends the one fix of a row given twice, and the changed IDs when asked', async () => {
    const { page, emulator } = session;
    await addWorkspace(page, emulator.baseUrl, emulator.config.token);
    await checkCsv(page, 'billing-users.csv', users);
    await sendAllAndSeeResults(page, 12);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export as CSV' }).click(),
    ]);
    const [header = '', w3 = '', w7 = '', w10 = ''] = readFileSync((await download.path()) ?? '', 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(w3).toMatch(/^W0,0003,w3@old-domain\.invalid,4,/);
    // Saved by Excel, which made 0003 the number 3; user 0007's row left in as it was, its fix pasted below.
    const corrected = [
      header,
      w3.replace(',0003,', ',3,').replace(bad(3), good(3)),
      w7,
      w7.replace(bad(7), good(7)),
      w10.replace(bad(10), good(10)),
    ].join('\r\n');
    await loadCorrectedFile(page, 'billing-users – failed rows (fixed).csv', corrected);
    await expect.poll(() => page.getByTestId('rerun-banner').textContent()).toContain('uses the mapping of');
    await previewAsSuggested(page);
    await page.getByRole('button', { name: 'Continue to Send' }).click();

    await expect
      .poll(() => page.getByTestId('rerun-count').textContent())
      .toBe('2 messages (2 users) from 2 rows will be sent again.');
    const held = page.getByTestId('rerun-changed-ids');
    expect(await held.locator('li').allTextContents()).toEqual([
      'Row 2 stands for row 4 of the import, but its IDs changed (userId 0003 → 3): their leading zeros were ' +
        'dropped, as Excel does with numbers when it opens a CSV and saves it. Type the zeros back (format the ' +
        'column as Text first), or send it anyway if the new IDs are right.',
    ]);
    expect(await page.getByTestId('rerun-duplicates').locator('li').allTextContents()).toEqual([
      'Both rows 3 and 4 stand for row 8 of the import: row 4, the corrected one, is sent; row 3 is the row as it ' +
        'was, left out.',
    ]);
    await page.getByTestId('rerun-plan').scrollIntoViewIfNeeded();
    await screenshot(page, 'rerun-04-held-rows');

    // The user says the new ID is right: it goes too.
    await held.getByRole('checkbox').check();
    await expect
      .poll(() => page.getByTestId('rerun-count').textContent())
      .toBe('3 messages (3 users) from 3 rows will be sent again.');
    const before = emulator.requests.length;
    await page.getByRole('button', { name: 'Re-run 3 rows' }).click();
    await rerunFinished(page);
    const sent = emulator.requests.slice(before).flatMap((r) => r.messageIds);
    expect(sent).toHaveLength(3);
    expect(emulator.state.users.get('3')?.traits).toMatchObject({ email: good(3) });
    expect(emulator.state.users.get('0007')?.traits).toMatchObject({ email: good(7) });
    expect(emulator.state.users.get('0010')?.traits).toMatchObject({ email: good(10) });
  });
});
