/**
 * Run by test/unit/workspaces.test.ts in a child process, so that the keychain it meets is one the test chose
 * (no D-Bus session at all, or a private gnome-keyring whose login collection is locked) without touching the
 * keychain other tests share. Starts the services on a fresh folder, keeps a token for this session only, tries
 * to save it in the keychain instead, and prints what happened as JSON on stdout.
 *
 * Usage: node test/support/keychain-child.ts <lock|as-is> <token>
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Entry } from '@napi-rs/keyring';
import { createFileLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices } from '../../main/services/index.ts';
import { KEYCHAIN_SERVICE } from '../../main/services/secrets.ts';

const [mode, token] = process.argv.slice(2);
if (!token) throw new Error('usage: keychain-child.ts <lock|as-is> <token>');

if (mode === 'lock') {
  execFileSync('gdbus', [
    'call',
    '--session',
    '--dest=org.freedesktop.secrets',
    '--object-path=/org/freedesktop/secrets',
    '--method=org.freedesktop.Secret.Service.Lock',
    "['/org/freedesktop/secrets/collection/login']",
  ]);
}

const dir = mkdtempSync(join(tmpdir(), 'vitally-importer-keychain-'));
try {
  const paths = pathsIn(dir);
  const services = createServices({ host: 'web', paths, log: createFileLogger(paths.logDir) });
  const status = await services.dispatch('getKeychainStatus', {});
  const session = await services.dispatch('saveWorkspace', { name: 'Acme', address: 'acme', token, sessionOnly: true });
  if (!session.ok) throw new Error(session.error.message);
  const id = (session.value as { id: string }).id;
  const refused = await services.dispatch('saveWorkspace', { id, name: 'Acme', address: 'acme', token });
  const statusAfter = await services.dispatch('getKeychainStatus', {});
  const list = await services.dispatch('listWorkspaces', {});
  // Where @napi-rs/keyring falls back on its own: the kernel keyring, which forgets at restart.
  let kernelKeyring: string | null = null;
  try {
    kernelKeyring = new Entry(KEYCHAIN_SERVICE, id, { linux: { store: 'keyutils' } }).getPassword();
  } catch {
    kernelKeyring = null;
  }
  await services.close();
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const tokenInFiles = files.some((file) => readFileSync(join(file.parentPath, file.name)).includes(token));
  process.stdout.write(JSON.stringify({ status, session, refused, statusAfter, list, kernelKeyring, tokenInFiles }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
