import packageJson from '../../package.json' with { type: 'json' };
import type { AppInfo, HostKind, Workspace } from '../../app/contract.ts';
import {
  DatabaseDamagedError,
  openDatabase,
  setAsideDamagedDatabase,
  type Database,
} from '../../app/journal/database.ts';
import { mappingGaps } from '../../app/map/mapping.ts';
import { parseWorkspaceAddress } from '../../app/send/address.ts';
import type { FetchLike } from '../../app/send/fetch-port.ts';
import { createDispatcher, type Dispatch, type Handlers } from '../api/dispatch.ts';
import { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { APP_NAME, type AppPaths } from '../paths.ts';
import { FilesService } from './files.ts';
import { MappingService } from './mapping.ts';
import { ServiceError } from '../api/errors.ts';
import { PracticeService } from './practice.ts';
import type { CheckAheadTiming } from './check-ahead.ts';
import { PreviewService } from './preview.ts';
import { SendService } from './send.ts';
import { RunsService } from './runs.ts';
import { ResultsService } from './results.ts';
import { Downloads, saveOffer } from './downloads.ts';
import { detectKeychain, KeychainStore, SessionStore, systemProbe, type SecretStore } from './secrets.ts';
import { SettingsService } from './settings.ts';
import { TemplatesService } from './templates.ts';
import { WorkspacesService } from './workspaces.ts';

export interface ServicesOptions {
  host: HostKind;
  paths: AppPaths;
  log: Logger;
  /** Versions of Electron and Chromium when running inside Electron. */
  electronVersions?: { electron: string; chrome: string };
  /** The desktop's save dialog: where to save a file offered under this name, or null if the user cancels. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /**
   * The host's own `fetch` for every request to Vitally (sends and the connection test): the desktop app passes
   * Electron's `net.fetch`, which honours the system's proxy settings and certificate store. Node's by default.
   */
  fetch?: FetchLike;
  /** The OS keychain; null where there is none. Detected when left out (`detectKeychain`). */
  keychain?: SecretStore | null;
  /** When a file is checked ahead of the Preview (`main/services/check-ahead.ts`); chosen by the cores when left out. */
  checkAhead?: CheckAheadTiming;
  /** Ready the Map step's first suggestion as the app starts (`MappingService.warmUp`): the hosts do. */
  warmUp?: boolean;
}

/** Everything behind the contract, the same for both hosts. */
export interface Services {
  readonly dispatch: Dispatch;
  readonly bus: EventBus;
  readonly settings: SettingsService;
  readonly files: FilesService;
  readonly previews: PreviewService;
  readonly mappings: MappingService;
  /** Exports waiting for the browser to fetch them (the web host's `GET /api/download/<id>`). */
  readonly downloads: Downloads;
  /** Stops running tasks and closes the database. */
  close(): Promise<void>;
}

/** Opens the database and wires every service to its calls in the contract. */
export function createServices(options: ServicesOptions): Services {
  const { host, paths, log } = options;
  const { db, startupNotice } = openOrSetAside(paths.databaseFile, log);
  const bus = new EventBus();
  const settings = new SettingsService(db, log);
  const runs = new RunsService(db);
  const detected = options.keychain === undefined ? detectKeychain(systemProbe()) : undefined;
  if (detected?.problem) log.info('tokens cannot be kept in the keychain', { problem: detected.problem });
  const keychain = detected ? (detected.available ? new KeychainStore() : null) : (options.keychain ?? null);
  const workspaces = new WorkspacesService({
    db,
    keychain,
    session: new SessionStore(),
    log,
    ...(detected ? { keychainStatus: detected } : {}),
    fetch: options.fetch ?? null,
  });
  const files = new FilesService({ db, databaseFile: paths.databaseFile, dataDir: paths.dataDir, host, bus, log });
  const practice = new PracticeService({ db, workspaces, files, log });
  /** Workspaces as the renderer sees them: the practice one marked as such. */
  const marked = (list: Workspace[]): Workspace[] => {
    const practiceId = practice.workspaceId;
    return list.map((workspace) => (workspace.id === practiceId ? { ...workspace, practice: true } : workspace));
  };
  const mappings = new MappingService(db, files);
  if (options.warmUp) setImmediate(() => mappings.warmUp()).unref();
  const templates = new TemplatesService(db, files);
  const previews = new PreviewService({
    db,
    databaseFile: paths.databaseFile,
    files,
    bus,
    log,
    checkAhead: options.checkAhead,
  });
  const sends = new SendService({
    db,
    databaseFile: paths.databaseFile,
    files,
    previews,
    workspaces,
    settings,
    bus,
    log,
    fetch: options.fetch ?? null,
  });

  const results = new ResultsService({ db, files, runs });
  const downloads = new Downloads();
  // The retention setting: finished imports older than it are forgotten at each start.
  const forgotten = results.applyRetention();
  if (forgotten > 0) log.info('forgot imports past the retention setting', { runs: forgotten });

  const info: AppInfo = {
    name: APP_NAME,
    version: packageJson.version,
    host,
    platform: process.platform,
    runtime: {
      node: process.versions.node,
      electron: options.electronVersions?.electron ?? null,
      chrome: options.electronVersions?.chrome ?? null,
    },
    dataDir: paths.dataDir,
    logDir: paths.logDir,
    startupNotice,
  };

  const handlers: Handlers = {
    getAppInfo: () => info,
    getSettings: () => settings.get(),
    updateSettings: (patch) => {
      const next = settings.update(patch);
      bus.emit('settingsChanged', next);
      return next;
    },
    listRuns: ({ limit }) => runs.list(limit),
    loadFile: ({ source, settings }) => files.load(source, settings),
    rereadFile: ({ fileId, settings }) => files.reread(fileId, settings),
    openRecentFile: ({ fileId }) => files.openRecent(fileId),
    cancelTask: ({ taskId }) => ({ cancelled: files.cancel(taskId) }),
    getFile: ({ fileId }) => files.get(fileId),
    getRows: ({ fileId, offset, limit }) => ({ rows: files.rows(fileId, offset, limit) }),
    listRecentFiles: ({ limit }) => files.recent(limit),
    getMapping: ({ fileId }) => mappings.get(fileId),
    saveMapping: ({ fileId, mapping }) => {
      mappings.save(fileId, mapping);
      return { saved: true };
    },
    sampleMapping: ({ fileId, mapping, rows }) => ({
      rows: mappings.sample(fileId, mapping, rows),
      gaps: mappingGaps(mapping),
      problems: mappings.problems(fileId, mapping),
    }),
    listTemplates: () => templates.list(),
    saveTemplate: ({ name, mapping }) => templates.save(name, mapping),
    deleteTemplate: ({ id }) => ({ deleted: templates.delete(id) }),
    templateOffers: ({ fileId }) => templates.offers(fileId),
    exportTemplate: ({ id }) => templates.export(id),
    importTemplate: ({ text }) => templates.import(text),
    startPreview: ({ fileId }) => previews.start(fileId),
    getPreview: ({ fileId }) => previews.get(fileId),
    listProblems: ({ fileId, offset, limit }) => previews.problems(fileId, offset, limit),
    listBatches: ({ fileId, offset, limit }) => ({ batches: previews.batches(fileId, offset, limit) }),
    getBatch: ({ fileId, batch }) => previews.batch(fileId, batch),
    listPreviewRows: ({ fileId, filter, offset, limit, failedOf }) =>
      previews.rows(fileId, filter, offset, limit, failedOf),
    editCell: ({ fileId, rowNumber, column, value }) => previews.editCell(fileId, rowNumber, column, value),
    setRowsExcluded: ({ fileId, rowNumbers, excluded }) => previews.exclude(fileId, rowNumbers, excluded),
    exportBatches: async ({ fileId }) => {
      if (!options.chooseSavePath)
        throw new ServiceError('FAILED_PRECONDITION', 'Here the batches are saved by the browser, as a download.');
      const path = await options.chooseSavePath(previews.exportName(fileId));
      if (path === null) return { path: null, batches: 0, download: null };
      return { path, batches: (await previews.saveBatches(fileId, path)).batches, download: null };
    },
    startSend: ({ fileId, trialRows }) => sends.start(fileId, trialRows),
    resumeRun: ({ runId }) => sends.resumeRun(runId),
    replaceRunToken: ({ runId, token }) => sends.replaceToken(runId, token),
    pauseSend: ({ runId }) => ({ ok: sends.command(runId, 'pause') }),
    resumeSend: ({ runId }) => ({ ok: sends.command(runId, 'resume') }),
    cancelSend: ({ runId }) => ({ ok: sends.command(runId, 'cancel') }),
    getRunProgress: ({ runId }) => sends.progress(runId),
    listRejected: ({ runId, limit }) => sends.rejected(runId, limit),
    getRunDetails: ({ runId }) => results.details(runId),
    listRunRows: ({ runId, filter, type, search, offset, limit }) =>
      results.rows(runId, filter, offset, limit, type, search),
    listRunBatches: ({ runId, offset, limit }) => results.batches(runId, offset, limit),
    getRunBatch: ({ runId, batchId }) => results.batch(runId, batchId),
    planRerun: ({ runId, fileId, includeUnknown, sendChangedIds }) =>
      sends.planRerun(runId, fileId, includeUnknown ?? false, sendChangedIds ?? false),
    startRerun: ({ runId, fileId, includeUnknown, sendChangedIds }) =>
      sends.startRerun(runId, fileId, includeUnknown ?? false, sendChangedIds ?? false),
    adoptRerunFile: ({ runId, fileId }) => results.adoptRerunFile(runId, fileId),
    exportRun: async ({ runId, format, includeUnknown }) => {
      const offer = results.export(runId, format, includeUnknown ?? false);
      const saved = { fileName: offer.fileName, rows: offer.rows };
      // The desktop app asks where to save; the browser fetches a download the page is given.
      if (!options.chooseSavePath) return { ...saved, path: null, download: downloads.offer(offer) };
      const path = await options.chooseSavePath(offer.fileName);
      if (path !== null) await saveOffer(offer, path);
      return { ...saved, path, download: null };
    },
    deleteRun: ({ runId }) => results.delete(runId),
    getRetention: () => results.retention(),
    setRetention: ({ days }) => results.setRetention(days),
    getKeychainStatus: () => workspaces.keychainStatus,
    listWorkspaces: async () => {
      await practice.ready;
      return marked(workspaces.list());
    },
    saveWorkspace: (input) => {
      if (input.id !== undefined && input.id === practice.workspaceId) {
        throw new ServiceError(
          'FAILED_PRECONDITION',
          'The practice workspace cannot be changed; add a workspace of your own.',
        );
      }
      return workspaces.save(input);
    },
    startPractice: async () => ({ ...(await practice.start()), practice: true }),
    openSample: () => practice.openSample(),
    forgetToken: ({ id }) => workspaces.forgetToken(id),
    deleteWorkspace: ({ id }) => ({ deleted: workspaces.delete(id) }),
    testConnection: ({ id }) => workspaces.test(id),
    resolveAddress: ({ address }) => parseWorkspaceAddress(address),
  };

  return {
    dispatch: createDispatcher(handlers, log),
    bus,
    settings,
    files,
    previews,
    mappings,
    downloads,
    close: async () => {
      mappings.close();
      await Promise.all([files.close(), previews.close(), sends.close(), practice.close()]);
      if (db.isOpen) db.close();
    },
  };
}

/**
 * Opens the database; a damaged one (SQLite cannot read it) is moved aside, kept whole, and the app starts with a
 * new one, saying so: a way forward that loses nothing, instead of an app that cannot start.
 */
function openOrSetAside(file: string, log: Logger): { db: Database; startupNotice: string | null } {
  try {
    return { db: openDatabase(file), startupNotice: null };
  } catch (error) {
    if (!(error instanceof DatabaseDamagedError)) throw error;
    const aside = setAsideDamagedDatabase(file);
    log.error('the database was damaged and has been set aside', { file, aside });
    return {
      db: openDatabase(file),
      startupNotice:
        `The app's database was damaged and could not be read, so it was set aside, untouched, as “${aside}”, and ` +
        'the app started afresh: add your workspaces again and open your files again. Past imports are in the ' +
        'set-aside file; keep it if you may need them.',
    };
  }
}
