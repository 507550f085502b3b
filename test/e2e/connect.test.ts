import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appSession, screenshot } from './harness.ts';

describe('Connect: a CS manager adds their workspace and checks the token', () => {
  const session = appSession({ emulator: { token: 'sk_analytics_7c1e4f2a' } });

  const result = () => session.page.getByTestId('test-result').textContent();

  it('saves a workspace with its token and tests it', async () => {
    const { page, emulator } = session;
    const form = page.getByRole('form', { name: 'Add a workspace' });
    await screenshot(page, 'connect-01-empty');
    await form.getByLabel('Name').fill('Acme (dry run)');
    await form.getByLabel('Vitally subdomain or address').fill(emulator.baseUrl);
    await form.getByLabel('Analytics API token').fill(`Basic ${emulator.config.token}`);
    await form.getByRole('button', { name: 'Save and test' }).click();
    await expect.poll(result).toContain('Vitally answered and did not refuse the token.');
    expect(await page.getByTestId('token-state').textContent()).toBe('Token saved in the keychain, ends in …4f2a');
    expect(await page.getByTestId('header-workspace').textContent()).toBe('Acme (dry run)');
    // The token never comes back to the page.
    expect(await page.content()).not.toContain(emulator.config.token);
    expect(await page.getByRole('button', { name: 'Continue to Upload' }).isEnabled()).toBe(true);
    await screenshot(page, 'connect-02-saved');
  });

  it('asks for the token again when the address changes', async () => {
    const { page, emulator } = session;
    await page.getByRole('button', { name: 'Edit address or token' }).click();
    const form = page.getByRole('form', { name: 'Edit Acme (dry run)' });
    await form.getByLabel('Vitally subdomain or address').fill('https://attacker.example.com/analytics/v1');
    const token = form.getByLabel('Analytics API token (needed again: the address changed)');
    await token.waitFor();
    expect(await form.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    await token.fill('sk_analytics_0000');
    expect(await form.getByRole('button', { name: 'Save changes' }).isEnabled()).toBe(true);
    // Back to the saved address: the saved token may be kept again.
    await form.getByLabel('Vitally subdomain or address').fill(emulator.baseUrl);
    await form.getByLabel(/New Analytics API token/).waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('says plainly when Vitally refuses a replaced token, and forgets it on request', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Edit address or token' }).click();
    await page.getByLabel(/New Analytics API token/).fill('revoked-token-0000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(result).toContain('Vitally refused this token (401)');
    // A refused token is not "Done", whatever was saved.
    expect(await page.locator('#step-detail-connect').textContent()).not.toBe('Done');
    await screenshot(page, 'connect-03-refused');
    await page.getByRole('button', { name: 'Forget token' }).click();
    await expect.poll(() => page.getByTestId('token-state').textContent()).toBe('No token');
    expect(await page.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(true);
  });

  it('refuses an address that is not safe, with the reason', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Add another workspace' }).click();
    const form = page.getByRole('form', { name: 'Add a workspace' });
    await form.getByLabel('Name').fill('Proxy');
    await form.getByLabel('Vitally subdomain or address').fill('http://proxy.example.com/analytics/v1');
    await form.getByLabel('Analytics API token').fill('token-1234');
    await form.getByRole('button', { name: 'Save and test' }).click();
    await expect
      .poll(() => page.getByTestId('connect-error').textContent())
      .toBe('Only addresses on this computer may use http://; use https:// for anything else.');
  });

  it('connects a workspace given only its host, showing the address it will use, and is Done once tested', async () => {
    const { page, emulator } = session;
    const form = page.getByRole('form', { name: 'Add a workspace' });
    const host = new URL(emulator.baseUrl).origin; // http://127.0.0.1:<port>, as people paste it
    await form.getByLabel('Name').fill('Emulator');
    await form.getByLabel('Vitally subdomain or address').fill(host);
    // The complaint about the address before is gone once it is changed.
    expect(await page.getByTestId('connect-error').count()).toBe(0);
    await expect
      .poll(() => form.getByTestId('address-meaning').textContent())
      .toBe(`Imports go to ${emulator.baseUrl}. The Analytics API lives under /analytics/v1, so the app adds it.`);
    await form.getByLabel('Analytics API token').fill(emulator.config.token);
    await screenshot(page, 'connect-05-host-only');
    await form.getByRole('button', { name: 'Save and test' }).click();
    const card = page.getByRole('article', { name: 'Emulator' });
    await expect.poll(() => card.getByTestId('test-result').textContent()).toContain('Vitally answered');
    expect(await card.locator('.workspace__url').textContent()).toBe(emulator.baseUrl);
    // The chosen workspace is still the one without a token: not Done until this one is chosen and tested.
    expect(await page.locator('#step-detail-connect').textContent()).not.toBe('Done');
    await card.getByRole('radio').click();
    await expect.poll(() => page.locator('#step-detail-connect').textContent()).toBe('Done');
  });
});

describe.skipIf(process.platform !== 'linux')('Connect on a Linux desktop without a keychain service', () => {
  const session = appSession({
    emulator: { token: 'sk_analytics_5d2b9e31' },
    // Without a D-Bus session there is no Secret Service; @napi-rs/keyring would fall back to the kernel keyring.
    env: { DBUS_SESSION_BUS_ADDRESS: undefined },
  });

  it('explains why, and keeps the token for this session only when asked, writing it nowhere', async () => {
    const { app, page, emulator } = session;
    const form = page.getByRole('form', { name: 'Add a workspace' });
    const notice = form.getByTestId('keychain-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('you will be asked for it again next time');
    expect(await page.locator('.lead').textContent()).not.toContain('keychain');
    await form.getByLabel('Name').fill('Acme');
    await form.getByLabel('Vitally subdomain or address').fill(emulator.baseUrl);
    await form.getByLabel('Analytics API token').fill(emulator.config.token);
    const save = form.getByRole('button', { name: 'Save and test' });
    expect(await save.isDisabled()).toBe(true);
    await form.getByLabel('Keep the token for this session only').check();
    await screenshot(page, 'connect-04-no-keychain');
    await save.click();
    await expect.poll(() => page.getByTestId('test-result').textContent()).toContain('Vitally answered');
    expect(await page.getByTestId('token-state').textContent()).toBe('Token saved for this session, ends in …9e31');
    for (const entry of readdirSync(app.dataDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        expect(readFileSync(join(entry.parentPath, entry.name)).includes(emulator.config.token)).toBe(false);
    }
  });
});
