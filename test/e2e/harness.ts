/**
 * End-to-end harness: runs the built web host (`out/main/web.js`) as a child process with a fresh data folder,
 * and Debian's Chromium through playwright-core. Screenshots go to `test-results/screenshots/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { findChromium } from '../support/chromium.ts';

export const PROJECT_DIR = join(import.meta.dirname, '..', '..');
export const SCREENSHOT_DIR = join(PROJECT_DIR, 'test-results', 'screenshots');
export const CHROMIUM = findChromium();
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningApp {
  /** The link printed at start. It opens the app once: for another browser context, use `freshLink()`. */
  url: string;
  /** Presses Enter in the app's terminal and resolves with the new one-time link it prints. */
  freshLink(): Promise<string>;
  origin: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `node out/main/web.js` on a free port with its own data folder; resolves once it prints its URL. `env` is
 * laid over this process's environment (a variable set to undefined is left out).
 */
export async function startWebApp(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningApp> {
  const entry = join(PROJECT_DIR, 'out', 'main', 'web.js');
  if (!existsSync(entry)) throw new Error('The app is not built: run `npm run build` (npm test does) first.');
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vitally-importer-e2e-'));
  const child = spawn(process.execPath, [entry, '--no-open'], {
    env: { ...process.env, ...options.env, VITALLY_IMPORTER_DATA_DIR: dataDir, CI: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  /** Resolves with the first link printed after `from` characters of output. */
  const linkAfter = (from: number) =>
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+/.exec(output.slice(from));
        if (!match) return;
        child.stdout.off('data', look);
        child.off('exit', exited);
        resolve(match[0]);
      };
      const exited = (code: number | null) => reject(new Error(`The web host exited (${code}):\n${output}`));
      child.stdout.on('data', look);
      child.once('exit', exited);
      look();
    });
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = await linkAfter(0);
  return {
    url,
    freshLink: () => {
      const link = linkAfter(output.length);
      child.stdin.write('\n');
      return link;
    },
    origin: new URL(url).origin,
    dataDir,
    output: () => output,
    stop: () => stopChild(child, options.dataDir ? null : dataDir),
  };
}

async function stopChild(child: ChildProcess, removeDir: string | null): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (removeDir) rmSync(removeDir, { recursive: true, force: true });
}

export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) {
    throw new Error(
      'No Chromium or Google Chrome was found: `npm test` installs it on Debian and Ubuntu (test/provision.sh); ' +
        'elsewhere install one, or set CHROME_PATH to its executable.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens the app in a new browser context with a one-time link (`app.url` once, `await app.freshLink()` after) and
 * waits until it has loaded what it needs from main.
 */
export async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-app-state="loaded"]').waitFor();
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

export interface SessionOptions {
  /** A Vitally emulator to start before the app (and close after it), with these settings. */
  emulator?: Parameters<typeof startEmulator>[0];
  /** The web host's environment, over this process's own (see `startWebApp`). */
  env?: NodeJS.ProcessEnv;
}

export interface AppSession {
  readonly app: RunningApp;
  readonly browser: Browser;
  readonly page: Page;
  /** Only when the session was asked for one (`appSession({ emulator: … })`). */
  readonly emulator: Emulator;
}

/**
 * The web host, Chromium and the app's page (and a Vitally emulator if asked), for one suite:
 * `const session = appSession()` at its top, `const { page } = session` inside its tests.
 */
export function appSession(options: SessionOptions = {}): AppSession {
  let emulator: Emulator | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    if (options.emulator) emulator = await startEmulator(options.emulator);
    app = await startWebApp({ env: options.env });
    browser = await launchChromium();
    page = await openApp(browser, app.url);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await emulator?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('The app session has not started (or has no emulator): use it inside tests.');
    return value;
  };
  return {
    get app() {
      return started(app);
    },
    get browser() {
      return started(browser);
    },
    get page() {
      return started(page);
    },
    get emulator() {
      return started(emulator);
    },
  };
}

/** Opens Upload, chooses a CSV file made of `text` (instead of the open one, if any), and waits until it is read. */
export async function uploadCsv(page: Page, name: string, text: string): Promise<void> {
  await page.locator('[data-step="upload"]').click();
  const another = page.getByRole('button', { name: 'Choose another file' });
  if (await another.isVisible()) await another.click();
  await chooseCsv(page, name, text);
}

/** Chooses a CSV file made of `text` in Upload's file picker (opened or not), and waits until it is read. */
export async function chooseCsv(page: Page, name: string, text: string): Promise<void> {
  await page.locator('#file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.locator('[data-upload-phase="ready"]').waitFor();
}

/** In Connect: adds a workspace at `address` with `token`, and waits until its test says the token was not refused. */
export async function addWorkspace(page: Page, address: string, token: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add a workspace' });
  await form.getByLabel('Name').fill('Emulator');
  await form.getByLabel('Vitally subdomain or address').fill(address);
  await form.getByLabel('Analytics API token').fill(token);
  await form.getByRole('button', { name: 'Save and test' }).click();
  await expect.poll(() => page.getByTestId('test-result').textContent()).toContain('did not refuse');
}

/** From Connect on: opens a CSV made of `text`, keeps the suggested mapping, and waits until Preview has checked it. */
export async function checkCsv(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Continue to Upload' }).click();
  await chooseCsv(page, name, text);
  await previewAsSuggested(page);
}

/** From Upload with a file read: keeps the mapping Map suggests, and waits until Preview has checked the file. */
export async function previewAsSuggested(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continue to Map' }).click();
  await page.getByTestId('message-user').waitFor();
  await expect.poll(() => page.getByRole('button', { name: 'Continue to Preview' }).isEnabled()).toBe(true);
  await page.getByRole('button', { name: 'Continue to Preview' }).click();
  await page.locator('[data-preview-state="ready"]').waitFor();
}

/** Opens a CSV made of `text` in Upload, goes on to Map, and waits until Map shows its suggested messages. */
export async function openInMap(page: Page, name: string, text: string): Promise<void> {
  await uploadCsv(page, name, text);
  await page.getByRole('button', { name: 'Continue to Map' }).click();
  await page.getByTestId('message-user').waitFor();
}

/** A message as Map's sample shows it. */
export type SampleMessage = Record<string, unknown> & { traits?: Record<string, unknown> };

/** The sample messages Map shows now, parsed. */
export async function sampleMessages(page: Page): Promise<SampleMessage[]> {
  return (await page.getByTestId('sample-message').allTextContents()).map((text) => JSON.parse(text) as SampleMessage);
}
