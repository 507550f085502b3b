/**
 * The one contract between the renderer and the main process.
 *
 * Every call the renderer can make is declared here once: its name, the runtime schema of its single argument
 * object, and the schema of its result. Every event main pushes is declared here too. Main validates every call
 * against these schemas before running it (see `main/api/dispatch.ts`); the Electron preload and the loopback web
 * host both expose exactly this list; the renderer is type-checked against the types derived from it.
 *
 * Expected failures travel as data (`Envelope` with `ok: false`) carrying a typed `ErrorCode` and a message
 * written for the person using the app.
 */
import { z } from 'zod';
import type { CALL_NAME_LIST, EVENT_NAME_LIST } from './contract-names.ts';
import { Mapping } from './map/mapping.ts';
import {
  AppInfo,
  ConnectionTest,
  FileSource,
  FileSummary,
  KeychainStatus,
  ReadSettings,
  ResolvedAddress,
  Row,
  RunSummary,
  Settings,
  SettingsPatch,
  TaskStarted,
  Workspace,
} from './contract/values.ts';
import type { Envelope } from './contract/values.ts';
import {
  BatchInfo,
  ColumnSuggestion,
  MappingProblem,
  MessageExplanation,
  PreviewRow,
  PreviewState,
  RowFilter,
  RowProblems,
  SampleRow,
  SavedBatches,
  Template,
  TemplateOffer,
} from './contract/mapping-preview.ts';
import {
  RejectedRow,
  RerunPlan,
  RunBatch,
  RunDetails,
  RunExportFormat,
  RunProgress,
  RunRow,
  RunRowFilter,
  SavedExport,
} from './contract/sending.ts';

export { ENCODING_GROUPS, ENCODING_LABELS } from './read/encodings.ts';
export * from './contract/values.ts';
export * from './contract/mapping-preview.ts';
export * from './contract/sending.ts';

// ---------------------------------------------------------------------------------------------------------------
// Calls

const noArgs = z.object({}).strict();

/** Which re-run of an import's failed rows: `planRerun` says what it would send, `startRerun` sends just that. */
const RerunRequest = z
  .object({
    runId: z.uuid(),
    fileId: z.uuid().optional(),
    includeUnknown: z.boolean().optional(),
    /** Also a corrected file's rows that name a failed row but carry other IDs (see `changedIds`). */
    sendChangedIds: z.boolean().optional(),
  })
  .strict();

function call<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/** Every call the renderer can make. Each takes one argument object and resolves to one result. */
export const calls = {
  /** Name, version, host and folders of the running app. */
  getAppInfo: call(noArgs, AppInfo),
  /** The user's preferences. */
  getSettings: call(noArgs, Settings),
  /** Change some preferences; resolves to all of them. Main then pushes `settingsChanged` to every window. */
  updateSettings: call(SettingsPatch, Settings),
  /** Past and interrupted imports, newest first. */
  listRuns: call(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(RunSummary)),
  /** Start reading a spreadsheet; progress and the end arrive as `progress` and `taskFinished` events. */
  loadFile: call(z.object({ source: FileSource, settings: ReadSettings.optional() }).strict(), TaskStarted),
  /** Read a loaded file again with other settings (header row, delimiter, encoding). */
  rereadFile: call(z.object({ fileId: z.uuid(), settings: ReadSettings }).strict(), TaskStarted),
  /** Open a recently opened file: at once when it has not changed since, otherwise by reading it again. */
  openRecentFile: call(
    z.object({ fileId: z.uuid() }).strict(),
    z.object({ taskId: z.uuid().nullable(), fileId: z.uuid() }),
  ),
  /** Stop a running task. Resolves to whether there was one to stop. */
  cancelTask: call(z.object({ taskId: z.uuid() }).strict(), z.object({ cancelled: z.boolean() })),
  getFile: call(z.object({ fileId: z.uuid() }).strict(), FileSummary),
  /** A page of a loaded file's data rows, in file order (0-based offset among data rows). */
  getRows: call(
    z
      .object({ fileId: z.uuid(), offset: z.number().int().nonnegative(), limit: z.number().int().min(1).max(1000) })
      .strict(),
    z.object({ rows: z.array(Row) }),
  ),
  /** The file's saved mapping, or a suggested one with what each column seems to be. */
  getMapping: call(
    z.object({ fileId: z.uuid() }).strict(),
    z.object({
      mapping: Mapping,
      saved: z.boolean(),
      suggestions: z.array(ColumnSuggestion),
      /** Why each message of the suggested mapping is there. */
      explanations: z.array(MessageExplanation).optional(),
      /** The computer's time zone: what date-times without one are read in unless the mapping names another. */
      localTimeZone: z.string(),
    }),
  ),
  saveMapping: call(z.object({ fileId: z.uuid(), mapping: Mapping }).strict(), z.object({ saved: z.boolean() })),
  /** What the first rows become under a mapping, exactly as they would be sent, with their problems. */
  sampleMapping: call(
    z.object({ fileId: z.uuid(), mapping: Mapping, rows: z.number().int().min(1).max(20).optional() }).strict(),
    z.object({ rows: z.array(SampleRow), gaps: z.array(z.string()), problems: z.array(MappingProblem) }),
  ),
  /** Saved mapping templates, by name. */
  listTemplates: call(noArgs, z.array(Template)),
  /** Saves a mapping as a template; one of the same name is replaced. */
  saveTemplate: call(z.object({ name: z.string().trim().min(1).max(100), mapping: Mapping }).strict(), Template),
  deleteTemplate: call(z.object({ id: z.uuid() }).strict(), z.object({ deleted: z.boolean() })),
  /** The templates whose columns a file has, best first. */
  templateOffers: call(z.object({ fileId: z.uuid() }).strict(), z.array(TemplateOffer)),
  /** A template as the text of a file to share (format: docs/mapping-format.md). */
  exportTemplate: call(z.object({ id: z.uuid() }).strict(), z.object({ fileName: z.string(), text: z.string() })),
  /** Adds a template from a shared file's text; a name in use gets a number. */
  importTemplate: call(z.object({ text: z.string().min(1).max(1_000_000) }).strict(), Template),
  /** Builds every row under the file's mapping in the background; its end arrives as `taskFinished`. */
  startPreview: call(z.object({ fileId: z.uuid() }).strict(), TaskStarted),
  getPreview: call(z.object({ fileId: z.uuid() }).strict(), PreviewState),
  listProblems: call(
    z.object({ fileId: z.uuid(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }).strict(),
    z.object({ rows: z.array(RowProblems), total: z.number().int() }),
  ),
  listBatches: call(
    z.object({ fileId: z.uuid(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }).strict(),
    z.object({ batches: z.array(BatchInfo) }),
  ),
  /**
   * A page of the rows the Preview grid shows under a filter: every row, those with errors or warnings (as of the
   * latest check), those left out, or those edited. Problems are the row's as it now reads, edits applied.
   */
  listPreviewRows: call(
    z
      .object({
        fileId: z.uuid(),
        filter: RowFilter,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500),
        /** Only the rows an import of this file failed to send (to fix them in place and re-run them). */
        failedOf: z.uuid().optional(),
      })
      .strict(),
    z.object({ rows: z.array(PreviewRow), total: z.number().int() }),
  ),
  /**
   * Changes one cell for the next run (the file is never changed); `value` null takes the edit back. Resolves to
   * the row as it now reads. The preview is then out of date until it is checked again.
   */
  editCell: call(
    z
      .object({
        fileId: z.uuid(),
        rowNumber: z.number().int().min(1),
        column: z.number().int().min(0),
        value: z.string().max(1_000_000).nullable(),
      })
      .strict(),
    PreviewRow,
  ),
  /** Leaves rows out of the next run, or takes them back in. */
  setRowsExcluded: call(
    z
      .object({
        fileId: z.uuid(),
        rowNumbers: z.array(z.number().int().min(1)).min(1).max(1000),
        excluded: z.boolean(),
      })
      .strict(),
    z.object({ changed: z.number().int() }),
  ),
  /**
   * Desktop app: asks where to save, then writes every batch exactly as it will be sent, one per line (JSON Lines).
   * `path` is null when the user closed the dialog. (The web host serves the same file as a download.)
   */
  exportBatches: call(z.object({ fileId: z.uuid() }).strict(), SavedBatches),
  /** One batch exactly as it will be sent, and the spreadsheet row of each message. */
  getBatch: call(
    z.object({ fileId: z.uuid(), batch: z.number().int().min(0) }).strict(),
    z.object({ body: z.string(), rows: z.array(z.object({ rowNumber: z.number().int(), type: z.string() })) }),
  ),
  /** Sends the checked rows (or the first `trialRows` of them) to the chosen workspace; progress comes as `runProgress`. */
  startSend: call(
    z.object({ fileId: z.uuid(), trialRows: z.number().int().min(1).max(1000).optional() }).strict(),
    z.object({ runId: z.uuid() }),
  ),
  /** Sends the rest of an interrupted or paused import, with the same messageIds. */
  resumeRun: call(z.object({ runId: z.uuid() }).strict(), z.object({ runId: z.uuid() })),
  /**
   * After Vitally refused the token: keeps the new one for the run's workspace (where the old one was kept) and
   * goes on sending, nothing lost.
   */
  replaceRunToken: call(
    z.object({ runId: z.uuid(), token: z.string().min(1).max(10_000) }).strict(),
    z.object({ ok: z.boolean() }),
  ),
  pauseSend: call(z.object({ runId: z.uuid() }).strict(), z.object({ ok: z.boolean() })),
  resumeSend: call(z.object({ runId: z.uuid() }).strict(), z.object({ ok: z.boolean() })),
  cancelSend: call(z.object({ runId: z.uuid() }).strict(), z.object({ ok: z.boolean() })),
  getRunProgress: call(z.object({ runId: z.uuid() }).strict(), RunProgress),
  listRejected: call(
    z.object({ runId: z.uuid(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.array(RejectedRow),
  ),
  /** An import opened: counts per message type, its re-runs and parent, whether its file is still here. */
  getRunDetails: call(z.object({ runId: z.uuid() }).strict(), RunDetails),
  /** A page of an import's messages by spreadsheet row, under a filter and a search (row, ID, value, reason). */
  listRunRows: call(
    z
      .object({
        runId: z.uuid(),
        filter: RunRowFilter,
        type: z.string().max(40).optional(),
        search: z.string().max(200).optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    z.object({ rows: z.array(RunRow), total: z.number().int() }),
  ),
  listRunBatches: call(
    z.object({ runId: z.uuid(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }).strict(),
    z.object({ batches: z.array(RunBatch), total: z.number().int() }),
  ),
  /** One batch of an import: the exact JSON sent, and Vitally's answer. */
  getRunBatch: call(
    z.object({ runId: z.uuid(), batchId: z.string().min(1).max(200) }).strict(),
    z.object({ body: z.string(), response: z.string(), rows: z.array(z.number().int()) }),
  ),
  /**
   * What re-running an import's failed rows (refused, and unknown with `includeUnknown`) would send: from its own
   * file as it now reads (fixed in place, or mapped anew), or from `fileId`, a corrected file.
   */
  planRerun: call(RerunRequest, RerunPlan),
  /** Sends only an import's failed rows again, as `planRerun` says, as a new import linked to it. */
  startRerun: call(RerunRequest, z.object({ runId: z.uuid() })),
  /**
   * A corrected file loaded to re-run an import's failed rows: it takes that import's mapping (when it has every
   * column the mapping uses), and the apostrophes the CSV export put before formula-like cells are taken back (as
   * edits shown in Preview).
   */
  adoptRerunFile: call(
    z.object({ runId: z.uuid(), fileId: z.uuid() }).strict(),
    z.object({ mapped: z.boolean(), restoredCells: z.number().int(), message: z.string() }),
  ),
  /** Exports an import's failed rows (CSV or Excel) or its report (CSV or JSON): a Save dialog, or a download. */
  exportRun: call(
    z.object({ runId: z.uuid(), format: RunExportFormat, includeUnknown: z.boolean().optional() }).strict(),
    SavedExport,
  ),
  /** Forgets an import's stored batches and outcomes. An import being sent cannot be deleted. */
  deleteRun: call(z.object({ runId: z.uuid() }).strict(), z.object({ deleted: z.boolean() })),
  /** How long finished imports are kept (days; null: for ever). */
  getRetention: call(noArgs, z.object({ days: z.number().int().nullable() })),
  /** Sets it, and forgets at once the finished imports older than that. */
  setRetention: call(
    z.object({ days: z.number().int().min(1).max(3650).nullable() }).strict(),
    z.object({ days: z.number().int().nullable(), deleted: z.number().int() }),
  ),
  /** Whether this computer has a keychain that keeps tokens for good, and if not, why. */
  getKeychainStatus: call(noArgs, KeychainStatus),
  listWorkspaces: call(noArgs, z.array(Workspace)),
  /**
   * "Try it without Vitally": adds (or brings back) the practice workspace, which sends to a stand-in for Vitally
   * on this computer, and chooses nothing: the renderer selects it.
   */
  startPractice: call(noArgs, Workspace),
  /** Opens the sample spreadsheet that comes with the app, as if the user had chosen it. */
  openSample: call(noArgs, TaskStarted),
  /**
   * Add a workspace (no `id`) or change one. A `token` is stored in the keychain — or, with `sessionOnly`, in
   * memory until the app closes — and never returned. Changing the address a saved token is sent to needs the
   * token again.
   */
  saveWorkspace: call(
    z
      .object({
        id: z.uuid().optional(),
        name: z.string().trim().min(1).max(100),
        address: z.string().trim().min(1).max(500),
        token: z.string().min(1).max(10_000).optional(),
        sessionOnly: z.boolean().optional(),
      })
      .strict(),
    Workspace,
  ),
  forgetToken: call(z.object({ id: z.uuid() }).strict(), Workspace),
  deleteWorkspace: call(z.object({ id: z.uuid() }).strict(), z.object({ deleted: z.boolean() })),
  /** Sends an empty batch: the only way to check a token without sending data (decision 3). */
  testConnection: call(z.object({ id: z.uuid() }).strict(), ConnectionTest),
  /** Where an address as typed would send (for the Connect form to show before saving); nothing is stored. */
  resolveAddress: call(z.object({ address: z.string().max(2000) }).strict(), ResolvedAddress),
  /** Files opened before, newest first. */
  listRecentFiles: call(z.object({ limit: z.number().int().min(1).max(50).optional() }).strict(), z.array(FileSummary)),
};

export type Calls = typeof calls;
export type CallName = keyof Calls;
/** What the renderer passes (defaults not yet applied). */
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
/** What a handler in main receives (validated, defaults applied). */
export type ValidCallArgs<N extends CallName> = z.output<Calls[N]['args']>;
export type CallResult<N extends CallName> = z.output<Calls[N]['result']>;

export const CALL_NAMES = Object.keys(calls) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

// ---------------------------------------------------------------------------------------------------------------
// Events: every event main pushes to the renderer (`events`, in `contract/events.ts`)

import type { EventName, EventPayload } from './contract/events.ts';
export { events, EVENT_NAMES, isEventName } from './contract/events.ts';
export type { EventName, EventPayload, Events } from './contract/events.ts';

// ---------------------------------------------------------------------------------------------------------------
// The bridge: what a host gives the renderer

/** The contract as the renderer sees it: one function per call, and a way to listen to events. */
export type Bridge = {
  readonly [N in CallName]: (args: CallArgs<N>) => Promise<Envelope<CallResult<N>>>;
} & {
  /**
   * Makes a file the user picked or dropped readable by main: the desktop app passes its path, the web host
   * uploads a copy. `onProgress` reports bytes sent.
   */
  readonly prepareFile: (
    file: File,
    onProgress?: (sent: number, total: number) => void,
  ) => Promise<Envelope<FileSource>>;
  /** Saves every batch of a checked file as JSON Lines: a save dialog on the desktop, a download in a browser. */
  readonly saveBatches: (fileId: string) => Promise<Envelope<SavedBatches>>;
  /** Puts text on the system clipboard (Copy JSON): through main on the desktop, the page's clipboard in a browser. */
  readonly copyText: (text: string) => Promise<Envelope<{ copied: true }>>;
  /** Listen to one event; call the returned function to stop. */
  readonly subscribe: <E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

// The bridge's global and the IPC channels live with the names, which the preload imports without zod.
export { BRIDGE_GLOBAL, IPC_CALL_CHANNEL, IPC_CLIPBOARD_CHANNEL, IPC_EVENT_CHANNEL } from './contract-names.ts';

// `contract-names.ts` must name exactly the calls and events above: a call added here without its name there (or
// the other way round) fails here, at compile time.
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const callNamesListed: SameNames<CallName, (typeof CALL_NAME_LIST)[number]> = true;
const eventNamesListed: SameNames<EventName, (typeof EVENT_NAME_LIST)[number]> = true;
void callNamesListed;
void eventNamesListed;
