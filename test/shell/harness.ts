/**
 * Runs the built desktop main process (`out/main/electron.js`) under Node with `electron` resolved to the recording
 * stand-in (`stand-in/electron.ts`), and drives it as Electron and its user would. Every child started here is
 * killed by `stopAllShells()` (call it in `afterEach`), whether or not the test passed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Command } from './stand-in/electron.ts';

export const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const REGISTER = fileURLToPath(new URL('./stand-in/register.ts', import.meta.url));
export const BUILT_MAIN = join(PROJECT_DIR, 'out', 'main', 'electron.js');

/** One call the app made on the stand-in, in order, with whether `ready` had been emitted. */
export interface ShellRecord {
  seq: number;
  api: string;
  args: unknown[];
  ready: boolean;
}

type CommandWithoutId = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

const running = new Set<ShellApp>();

export interface ShellOptions {
  /** The data folder (`VITALLY_IMPORTER_DATA_DIR`). */
  dataDir: string;
  /** The main script to run; the project's build by default (the packaging check runs the packaged one). */
  main?: string;
  /** Modules that fail to load as a missing native binding does (`@napi-rs/keyring`). */
  brokenModules?: string[];
  env?: Record<string, string>;
  /** The app's command line (`--self-check`). */
  args?: string[];
}

export class ShellApp {
  readonly records: ShellRecord[] = [];
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  readonly #replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #waiters = new Set<() => void>();
  #nextId = 1;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(options: ShellOptions) {
    const main = options.main ?? BUILT_MAIN;
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first.`);
    this.#child = fork(main, options.args ?? [], {
      execArgv: ['--import', REGISTER, '--disable-warning=ExperimentalWarning'],
      env: {
        ...process.env,
        VITALLY_IMPORTER_DATA_DIR: options.dataDir,
        STANDIN_HOME: join(options.dataDir, '..', 'home'),
        STANDIN_BROKEN_MODULES: (options.brokenModules ?? []).join(','),
        ...options.env,
      },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    running.add(this);
    this.#child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.#child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.#child.on('message', (message: { kind: string; id?: number; value?: unknown; error?: string }) => {
      if (message.kind === 'record') {
        this.records.push(message as unknown as ShellRecord);
        for (const wake of [...this.#waiters]) wake();
      } else if (message.kind === 'reply' && message.id !== undefined) {
        const reply = this.#replies.get(message.id);
        this.#replies.delete(message.id);
        if (message.error !== undefined) reply?.reject(new Error(message.error));
        else reply?.resolve(message.value);
      }
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        this.#exit = { code, signal };
        running.delete(this);
        for (const reply of this.#replies.values()) reply.reject(new Error('the app ended'));
        for (const wake of [...this.#waiters]) wake();
        resolve({ code, signal });
      });
    });
  }

  /** Sends a command to the stand-in and resolves with its answer. */
  command<T = unknown>(command: CommandWithoutId): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#exit) return reject(new Error('the app has ended'));
      this.#replies.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ ...command, id });
    });
  }

  /** A call from a page, as the preload makes it (`ipcRenderer.invoke`); by default from the app's own page. */
  invoke<T = unknown>(
    channel: string,
    args: unknown[],
    frame: { frameUrl?: string | null; subFrame?: boolean; otherContents?: boolean } = {},
  ): Promise<T> {
    return this.command<T>({
      cmd: 'invoke',
      channel,
      args,
      frameUrl: frame.frameUrl === undefined ? 'app://renderer/index.html' : frame.frameUrl,
      subFrame: frame.subFrame ?? false,
      otherContents: frame.otherContents ?? false,
    });
  }

  /** Resolves with the first record (from the start) that matches; rejects if the app ends without one. */
  waitFor(what: string, match: (record: ShellRecord) => boolean): Promise<ShellRecord> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.records.find(match);
        if (found) {
          this.#waiters.delete(check);
          resolve(found);
        } else if (this.#exit) {
          this.#waiters.delete(check);
          reject(new Error(`the app ended (${JSON.stringify(this.#exit)}) before ${what}\n${this.describe()}`));
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves with the payload of the first event main pushed to the window that matches. */
  async waitForEvent<T>(name: string, match: (payload: T) => boolean = () => true): Promise<T> {
    const found = await this.waitFor(`the event ${name}`, (record) => {
      const [channel, event, payload] = record.args as [string, string, T];
      return record.api === 'webContents.send' && channel === 'vitally:event' && event === name && match(payload);
    });
    return found.args[2] as T;
  }

  calls(api: string): ShellRecord[] {
    return this.records.filter((record) => record.api === api);
  }

  /** Every record and the app's output, for a failing assertion's message. */
  describe(): string {
    const lines = this.records.map((r) => `${r.seq} ${r.ready ? 'R' : '-'} ${r.api} ${JSON.stringify(r.args)}`);
    return [...lines.map((line) => line.slice(0, 300)), ...this.output].join('\n');
  }

  kill(): void {
    if (!this.#exit) this.#child.kill('SIGKILL');
  }
}

/** Kills every app still running (for `afterEach`), and waits until each has ended. */
export async function stopAllShells(): Promise<void> {
  const apps = [...running];
  for (const app of apps) app.kill();
  await Promise.all(apps.map((app) => app.exited));
}

/** The app's calls into the contract, through the stand-in's ipcMain, answered as the page would get them. */
export async function call<T>(app: ShellApp, name: string, args: unknown = {}): Promise<T> {
  const answer = await app.invoke<{ ok: boolean; value?: T; error?: { code: string; message: string } }>(
    'vitally:call',
    [name, args],
  );
  if (!answer.ok) throw new Error(`${name}: ${answer.error?.code ?? '?'}: ${answer.error?.message ?? ''}`);
  return answer.value as T;
}

/** Checks that the app has had no unhandled rejection and no uncaught exception so far. */
export function expectNoCrash(app: ShellApp): void {
  expect(app.calls('unhandledRejection'), app.describe()).toEqual([]);
  expect(app.calls('uncaughtException'), app.describe()).toEqual([]);
}
