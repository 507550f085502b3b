import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TaskStarted, Workspace } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { ServiceError } from '../api/errors.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import type { Logger } from '../log.ts';
import type { FilesService } from './files.ts';
import { SettingsStore } from './store/settings.ts';
import type { WorkspacesService } from './workspaces.ts';

/** The sample spreadsheet: a contacts export, as a CRM gives one (`assets/sample/`, packaged with the app). */
export const SAMPLE_FILE = join(import.meta.dirname, '..', '..', 'assets', 'sample', 'contacts-sample.csv');
export const PRACTICE_NAME = 'Practice (nothing reaches Vitally)';
/** The one row the practice workspace refuses, so that a first import also shows how failures look and re-run. */
export const PRACTICE_REFUSED_USER = 'U-1017';
const SETTING_KEY = 'practiceWorkspaceId';

/**
 * "Try it without Vitally": a workspace that sends to the app's own Vitally emulator on this computer
 * (`main/emulator/`), so that a new user can run a whole import in a minute, and a sample spreadsheet to run it
 * with. The emulator lives as long as the app, answers like Vitally (the same checks, a little latency) and keeps
 * what it receives in memory only; its token is made up at each start and kept for the session only. Its control
 * routes are off: no other page on this computer can reconfigure it.
 */
export class PracticeService {
  readonly #settings: SettingsStore;
  readonly #workspaces: WorkspacesService;
  readonly #files: FilesService;
  readonly #log: Logger;
  #emulator: Promise<Emulator> | null = null;
  #closed = false;
  /** Settles once a practice workspace kept from an earlier session points at this session's emulator. */
  readonly ready: Promise<void>;

  constructor(options: { db: Database; workspaces: WorkspacesService; files: FilesService; log: Logger }) {
    this.#settings = new SettingsStore(options.db);
    this.#workspaces = options.workspaces;
    this.#files = options.files;
    this.#log = options.log;
    this.ready =
      this.#storedId() === null
        ? Promise.resolve()
        : this.start().then(
            () => undefined,
            (error: unknown) => this.#log.warn('the practice workspace could not be started', { error }),
          );
  }

  /** The practice workspace's id, if there is one. */
  get workspaceId(): string | null {
    const id = this.#storedId();
    return id !== null && this.#workspaces.list().some((w) => w.id === id) ? id : null;
  }

  /** Starts the emulator (once) and adds, or points again, the practice workspace at it. */
  async start(): Promise<Workspace> {
    if (this.#closed) throw new ServiceError('UNAVAILABLE', 'The app is closing.');
    const emulator = await this.#emulatorStarted();
    const id = this.workspaceId;
    const workspace = this.#workspaces.save({
      ...(id !== null ? { id } : {}),
      name: PRACTICE_NAME,
      address: emulator.baseUrl,
      token: emulator.config.token,
      sessionOnly: true,
    });
    this.#settings.set({ [SETTING_KEY]: workspace.id });
    return workspace;
  }

  /** Opens the sample spreadsheet as an upload of its own, the way a chosen file is opened. */
  async openSample(): Promise<TaskStarted> {
    const [text, info] = await Promise.all([readFile(SAMPLE_FILE), stat(SAMPLE_FILE)]).catch(() => {
      throw new ServiceError('NOT_FOUND', 'The sample spreadsheet is missing from this installation.');
    });
    const source = await this.#files.receiveUpload('contacts-sample.csv', info.size, Readable.from([text]));
    return this.#files.load(source);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const emulator = this.#emulator;
    this.#emulator = null;
    if (emulator) await (await emulator.catch(() => null))?.close();
  }

  #emulatorStarted(): Promise<Emulator> {
    this.#emulator ??= startEmulator({
      token: `practice-${randomBytes(12).toString('hex')}`,
      latencyMs: 40,
      refuse: { field: 'userId', value: PRACTICE_REFUSED_USER },
      controlRoutes: false,
    }).catch((error: unknown) => {
      this.#emulator = null;
      throw error;
    });
    return this.#emulator;
  }

  #storedId(): string | null {
    const id = this.#settings.get(SETTING_KEY);
    return typeof id === 'string' ? id : null;
  }
}
