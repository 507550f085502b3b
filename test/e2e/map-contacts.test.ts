import { describe, expect, it } from 'vitest';
import {
  addWorkspace,
  appSession,
  openInMap,
  sampleMessages,
  screenshot,
  uploadCsv,
  type SampleMessage,
} from './harness.ts';

/** A contacts export as HubSpot or Salesforce writes one: people, each with their company's ID and name. */
const CONTACTS = [
  'Contact ID,First Name,Last Name,Email,Company Name,Company ID,Phone,Lifecycle Stage',
  '5101,Ada,Lovelace,ada@northwind.example,Northwind Traders,880,+44 20 7946 0000,customer',
  '5102,Grace,Hopper,grace@globex.example,Globex,881,+1 202 555 0101,lead',
  '5103,Alan,,alan@northwind.example,Northwind Traders,880,,customer',
  '5104,Katherine,Johnson,katherine@initech.example,Initech,882,+1 757 555 0199,opportunity',
].join('\n');

describe('Map: a contacts export becomes accounts and their users with no change at all', () => {
  const session = appSession({ emulator: { token: 'contacts-token-2b7d' } });

  const sample = () => sampleMessages(session.page);

  it('suggests the company as an account and each person as its user, named First + Last, and says why', async () => {
    const { page, emulator } = session;
    await addWorkspace(page, emulator.baseUrl, emulator.config.token);
    await openInMap(page, 'contacts.csv', CONTACTS);
    expect(await page.locator('#account-accountId').inputValue()).toBe('Company ID');
    expect(await page.locator('#user-userId').inputValue()).toBe('Contact ID');
    expect(await page.locator('#user-accountId').inputValue()).toBe('Company ID');
    await expect.poll(async () => (await sample()).length).toBeGreaterThan(0);
    const [account, user] = await sample();
    expect(account).toMatchObject({ type: 'account', accountId: '880', traits: { name: 'Northwind Traders' } });
    expect(user).toMatchObject({
      type: 'user',
      userId: '5101',
      accountId: '880',
      traits: { name: 'Ada Lovelace', email: 'ada@northwind.example', phone: '+44 20 7946 0000' },
    });
    // The company's name is never the user's; a missing last name leaves the first name alone.
    const alan = (await sample()).find((m) => m.userId === '5103');
    expect(alan?.traits).toEqual({ name: 'Alan', email: 'alan@northwind.example', lifecycleStage: 'customer' });
    // Why: each message, and each column's suggestion, in words.
    expect(await page.getByTestId('why-user').textContent()).toBe(
      'Suggested because “Contact ID” is each row’s user ID and “Company ID” the ID of the account (the company) they belong to; “First Name” and “Last Name” are joined into the user’s name.',
    );
    const row = (column: string) => page.locator(`tr[data-column="${column}"]`);
    expect(await row('Contact ID').locator('.map-suggestion__why').textContent()).toBe(
      'Because the column is called “Contact ID” (a user ID) and its values look like IDs (“5101”, “5102”).',
    );
    expect(await row('Company Name').locator('.map-suggestion__why').textContent()).toContain(
      'It is the name of the account (the company), not the user’s own name.',
    );
    expect(await page.getByLabel('How “First Name” is combined into “name”').inputValue()).toBe('join: ');
    // Nothing is needed and nothing is wrong: Preview is open without a single change.
    expect(await page.getByRole('list', { name: 'Still needed' }).count()).toBe(0);
    expect(await page.locator('.mapping-problems').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
    await screenshot(page, 'map-20-contacts');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('[data-theme="dark"]').first().waitFor();
    await screenshot(page, 'map-21-contacts-dark');
    await page.setViewportSize({ width: 1280, height: 2200 });
    await screenshot(page, 'map-22-contacts-whole-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 2200 });
    await screenshot(page, 'map-23-contacts-whole');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('joins the name with the separator chosen', async () => {
    const { page } = session;
    await page.getByLabel('How “First Name” is combined into “name”').selectOption('join:, ');
    await expect
      .poll(async () => (await sample()).find((m) => m.userId === '5101')?.traits?.name)
      .toBe('Ada, Lovelace');
    // Both columns say the same, so the mapping stays sound.
    expect(await page.getByLabel('How “Last Name” is combined into “name”').inputValue()).toBe('join:, ');
    expect(await page.locator('.mapping-problems').count()).toBe(0);
    await page.getByLabel('How “Last Name” is combined into “name”').selectOption('join: ');
    await expect.poll(async () => (await sample()).find((m) => m.userId === '5101')?.traits?.name).toBe('Ada Lovelace');
  });

  it('keeps the traits already chosen when a message changes type, and back', async () => {
    const { page } = session;
    const userType = page.getByLabel('Message 2: its type');
    await userType.selectOption('track');
    await page.getByTestId('message-track').waitFor();
    expect(await page.getByLabel('Trait name for “Email”').inputValue()).toBe('email');
    // The account ID stays; the event needs its name.
    expect(await page.locator('#track-accountId').inputValue()).toBe('Company ID');
    expect(await page.locator('#track-userId').inputValue()).toBe('Contact ID');
    await expect
      .poll(() => page.getByRole('list', { name: 'Still needed' }).textContent())
      .toContain('Event (track) messages need an event name.');
    await page.getByLabel('Message 2: its type').selectOption('user');
    await page.getByTestId('message-user').waitFor();
    await expect
      .poll(async () => (await sample()).find((m) => m.userId === '5101')?.traits)
      .toEqual({
        name: 'Ada Lovelace',
        email: 'ada@northwind.example',
        phone: '+44 20 7946 0000',
        lifecycleStage: 'customer',
      });
    await expect.poll(() => page.getByRole('list', { name: 'Still needed' }).count()).toBe(0);
  });

  it('says which traits a removed message takes with it, and undoes it on request', async () => {
    const { page } = session;
    await page.getByTestId('message-user').getByRole('button', { name: 'Remove' }).click();
    const note = page.getByTestId('message-removed');
    await expect
      .poll(() => note.textContent())
      .toMatch(
        /^Removed the User message and its 4 traits \(name, email, phone, lifecycleStage\): they will not be sent\./,
      );
    await note.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('message-user').waitFor();
    expect(await note.count()).toBe(0);
    await expect.poll(async () => (await sample()).find((m) => m.userId === '5101')?.traits?.name).toBe('Ada Lovelace');
  });

  it('sends what Preview showed: the joined name reaches Vitally as the user’s name', async () => {
    const { page, emulator } = session;
    await page.getByRole('button', { name: 'Continue to Preview' }).click();
    await page.locator('[data-preview-state="ready"]').waitFor();
    expect(await page.getByTestId('messages').textContent()).toContain('3 accounts · 4 users');
    const json = page.getByTestId('batch-json');
    await expect.poll(async () => (await json.getAttribute('data-body'))?.includes('"5104"')).toBe(true);
    const batch = JSON.parse((await json.getAttribute('data-body')) ?? '[]') as SampleMessage[];
    expect(batch.find((m) => m.userId === '5101')?.traits?.name).toBe('Ada Lovelace');
    await page.getByRole('button', { name: 'Continue to Send' }).click();
    await page.getByRole('button', { name: /^Send all/ }).click();
    await page.locator('[data-send-state="finished"]').waitFor({ timeout: 30_000 });
    // The ids Vitally received are the ids Preview showed (each made from the message's own JSON).
    const received = emulator.requests.filter((r) => r.status === 200).flatMap((r) => r.messageIds);
    expect(received.sort()).toEqual(batch.map((m) => String(m.messageId)).sort());
    expect(emulator.state.users.get('5101')?.traits).toMatchObject({ name: 'Ada Lovelace' });
    expect(emulator.state.users.get('5101')?.accountIds).toEqual(['880']);
    expect(emulator.state.accounts.get('880')?.traits).toMatchObject({ name: 'Northwind Traders' });
  });
});

describe('Map: adding a type and removing the old one keeps the traits', () => {
  const session = appSession();

  it('moves the traits of a removed message to the one added in its place', async () => {
    const { page } = session;
    await uploadCsv(page, 'plans.csv', 'Account ID,Plan,Seats\nA1,Pro,12\nA2,Basic,3');
    await page.locator('[data-step="map"]').click();
    await page.getByTestId('message-account').waitFor();
    await page.getByLabel('Trait name for “Plan”').fill('planName');
    await page.getByLabel('Also make from each row').selectOption('user');
    await page.getByTestId('message-user').waitFor();
    await page.getByTestId('message-account').getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('message-account').waitFor({ state: 'detached' });
    // The user now carries what the account did, as it was set.
    expect(await page.getByLabel('Trait name for “Plan”').inputValue()).toBe('planName');
    expect(await page.getByLabel('Send “Seats” as').inputValue()).not.toBe('skip');
    await page.locator('#user-userId').selectOption('Account ID');
    await page.locator('#user-accountId').selectOption('Account ID');
    await expect
      .poll(async () => {
        const texts = await page.getByTestId('sample-message').allTextContents();
        return texts.map((t) => (JSON.parse(t) as SampleMessage).traits)[0];
      })
      .toEqual({ planName: 'Pro', seats: 12 });
  });
});
