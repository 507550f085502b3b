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
import { DELIMITERS } from './read/detect.ts';
import { Mapping, MessageMapping } from './map/mapping.ts';
import { ENCODINGS } from './read/encodings.ts';

export { ENCODING_GROUPS, ENCODING_LABELS } from './read/encodings.ts';

/** Why a call failed. Codes are for code; `message` is for people. */
export const ERROR_CODES = [
  /** The call's argument did not match its schema. `issues` says where. */
  'INVALID_ARGUMENT',
  /** No call by that name exists in this contract. */
  'UNKNOWN_CALL',
  /** The thing asked for does not exist (a run, a file, a batch). */
  'NOT_FOUND',
  /** The call is valid but not possible in the app's current state. */
  'FAILED_PRECONDITION',
  /** A service main depends on (the database, the keychain, the network) is not reachable. */
  'UNAVAILABLE',
  /** The request came from somewhere the app does not trust. */
  'FORBIDDEN',
  /** A bug: something failed that should not. Details go to the log, not to the screen. */
  'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ContractIssue = z.object({
  /** Dotted path of the offending argument field, or `""` for the argument as a whole. */
  path: z.string(),
  message: z.string(),
});
export type ContractIssue = z.infer<typeof ContractIssue>;

export const ContractError = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(ContractIssue).optional(),
});
export type ContractError = z.infer<typeof ContractError>;

/** What every call returns over the wire, in both hosts. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

// ---------------------------------------------------------------------------------------------------------------
// Shared value types

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
  /** Versions of the runtimes the app runs on, for the About dialog and bug reports. */
  runtime: z.object({ node: z.string(), electron: z.string().nullable(), chrome: z.string().nullable() }),
  /** Where the database, settings and logs live, so the user can find them. */
  dataDir: z.string(),
  logDir: z.string(),
  /** Something that went wrong at start and how the app dealt with it (a damaged database set aside), or null. */
  startupNotice: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const Settings = z.object({
  theme: ThemePreference,
  /** The workspace imports go to. */
  workspaceId: z.uuid().nullable(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = Settings.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const RunState = z.enum(['planned', 'sending', 'paused', 'interrupted', 'finished', 'cancelled']);
export type RunState = z.infer<typeof RunState>;

/** One import as History lists it. */
export const RunSummary = z.object({
  id: z.string(),
  createdAt: z.string(),
  fileName: z.string(),
  workspaceName: z.string(),
  state: RunState,
  rows: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** The corrections made in Preview that the import was built with. */
  editedCells: z.number().int().nonnegative(),
  excludedRows: z.number().int().nonnegative(),
  /** Whether a sender is working on it now (in this window's app): it can be followed, not resumed. */
  live: z.boolean(),
  /** A whole file, a trial of its first rows, or a re-run of an earlier import's failed rows. */
  kind: z.enum(['send', 'trial', 'rerun']).default('send'),
  /** The import a re-run re-ran. */
  parentRunId: z.string().nullable().default(null),
  fileId: z.string().nullable().default(null),
  endedAt: z.string().nullable().default(null),
  /** The message types it sent, e.g. ["account", "user"]. */
  messageTypes: z.array(z.string()).default([]),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const Progress = z.object({
  /** The long-running task this progress belongs to. */
  taskId: z.string(),
  /** 0–1, or null while the total is not yet known. */
  value: z.number().min(0).max(1).nullable(),
  title: z.string(),
  description: z.string(),
});
export type Progress = z.infer<typeof Progress>;

// Files

/** Where a file's bytes come from: a copy uploaded to the web host, or a path on disk (desktop app only). */
export const FileSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upload'), uploadId: z.uuid() }).strict(),
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }).strict(),
]);
export type FileSource = z.infer<typeof FileSource>;

export const Encoding = z.enum(ENCODINGS);
export type Encoding = z.infer<typeof Encoding>;
export const Delimiter = z.enum(DELIMITERS);
export type Delimiter = z.infer<typeof Delimiter>;

/** What the user overrides when reading a file; anything left out is detected. */
export const ReadSettings = z
  .object({
    encoding: Encoding.optional(),
    delimiter: Delimiter.optional(),
    headerRow: z.number().int().min(1).max(1000).optional(),
    sheet: z.string().min(1).max(200).optional(),
  })
  .strict();
export type ReadSettings = z.infer<typeof ReadSettings>;

export const Column = z.object({ name: z.string(), original: z.string() });
export type Column = z.infer<typeof Column>;

export const ReadNote = z.object({
  kind: z.enum([
    'more-cells',
    'fewer-cells',
    'blank-rows',
    'nul-characters',
    'undecodable-text',
    'unclosed-quote',
    'mixed-line-endings',
    'misdecoded-text',
    'misdecoded-header',
    'skipped-rows',
  ]),
  count: z.number().int().nonnegative(),
  rows: z.array(z.number().int().positive()),
  message: z.string(),
});
export type ReadNote = z.infer<typeof ReadNote>;

/** What reading found: the settings used, what was detected, the columns, the row count and any notes. */
export const ReadResult = z.object({
  format: z.enum(['delimited', 'xlsx', 'xls', 'ods']),
  sheet: z.string().nullable(),
  sheets: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative().nullable() })),
  encoding: Encoding,
  delimiter: Delimiter,
  headerRow: z.number().int().positive(),
  columns: z.array(Column),
  rowCount: z.number().int().nonnegative(),
  notes: z.array(ReadNote),
  detected: z.object({
    encoding: Encoding,
    /** 0–1: how sure the detection is (text files; absent from workbooks and older reads). */
    encodingConfidence: z.number().min(0).max(1).optional(),
    /** Other encodings the detection found likely, best first. */
    encodingAlternatives: z.array(Encoding).optional(),
    delimiter: Delimiter,
    headerRow: z.number().int().positive(),
  }),
});
export type ReadResult = z.infer<typeof ReadResult>;

export const FileState = z.enum(['loading', 'ready', 'failed', 'cancelled']);
export type FileState = z.infer<typeof FileState>;

export const FileSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  modifiedAt: z.string(),
  openedAt: z.string(),
  state: FileState,
  /** Why the file could not be read, in plain words (state `failed`). */
  problem: z.string().nullable(),
  settings: ReadSettings,
  result: ReadResult.nullable(),
});
export type FileSummary = z.infer<typeof FileSummary>;

export const Row = z.object({ rowNumber: z.number().int().positive(), cells: z.array(z.string()) });
export type Row = z.infer<typeof Row>;

/** A long-running task main has started; its progress and end arrive as events with this id. */
export const TaskStarted = z.object({ taskId: z.uuid(), fileId: z.uuid() });
export type TaskStarted = z.infer<typeof TaskStarted>;

export const TaskFinished = z.object({
  taskId: z.uuid(),
  fileId: z.uuid(),
  outcome: z.enum(['done', 'failed', 'cancelled']),
  message: z.string().nullable(),
});
export type TaskFinished = z.infer<typeof TaskFinished>;

// Workspaces

export const TokenStorage = z.enum(['keychain', 'session']);
export type TokenStorage = z.infer<typeof TokenStorage>;

/**
 * Why tokens cannot be kept in the keychain: there is none; the only one would forget them at restart (Linux's
 * kernel keyring); it is locked; or it refused the last token.
 */
export const KeychainProblem = z.enum(['missing', 'not-durable', 'locked', 'refused']);
export type KeychainProblem = z.infer<typeof KeychainProblem>;

/**
 * `available`: a keychain that keeps tokens for good is here (it may still be locked). With any `problem`, the
 * app offers to keep a token for this session only, and `message` explains why in plain words.
 */
export const KeychainStatus = z.object({
  available: z.boolean(),
  problem: KeychainProblem.nullable(),
  message: z.string().nullable(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

/** A Vitally workspace as the renderer sees it: never its token, only whether one is saved and its last four characters. */
export const Workspace = z.object({
  id: z.uuid(),
  name: z.string(),
  /** What the user typed: a subdomain, a login address or a base URL. */
  address: z.string(),
  baseUrl: z.string(),
  subdomain: z.string().nullable(),
  token: z.object({ saved: z.boolean(), lastFour: z.string().nullable(), storage: TokenStorage.nullable() }),
  /** The practice workspace ("Try it without Vitally"): it sends to the app's own stand-in for Vitally. */
  practice: z.boolean().optional(),
});
export type Workspace = z.infer<typeof Workspace>;

export const ConnectionTest = z.object({
  outcome: z.enum(['not-refused', 'refused', 'unreachable', 'unexpected']),
  status: z.number().int().nullable(),
  message: z.string(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;

/** How the app understands a typed or pasted workspace address: where it will send, or why it cannot. */
export const ResolvedAddress = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), baseUrl: z.string(), subdomain: z.string().nullable(), note: z.string().optional() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type ResolvedAddress = z.infer<typeof ResolvedAddress>;

// Mapping

export { Mapping };
/** The message types' names, fields and rules, for the Map step to show what the engine checks. */
export { FIELD_LABELS, FIELDS_BY_TYPE, MESSAGE_RULES, TYPE_LABELS } from './map/mapping.ts';

export const ColumnSuggestion = z.object({
  column: z.string(),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('field'), field: z.string() }),
    z.object({
      kind: z.literal('trait'),
      key: z.string(),
      type: z.string(),
      dateOrder: z.enum(['YMD', 'MDY', 'DMY']).optional(),
      decimal: z.enum(['.', ',']).optional(),
      /** The message it is suggested for (a company's name: the account's). */
      message: MessageMapping.shape.type.optional(),
      /** Joined with the other columns suggested for the same key, with this between. */
      joinWith: z.string().optional(),
    }),
  ]),
  confidence: z.number().min(0).max(1),
  reason: z.string(),
});
export type ColumnSuggestion = z.infer<typeof ColumnSuggestion>;

/** Why the suggested mapping has a message: shown while the message keeps the fields it was suggested with. */
export const MessageExplanation = z.object({
  type: MessageMapping.shape.type,
  fields: MessageMapping.shape.fields,
  text: z.string(),
});
export type MessageExplanation = z.infer<typeof MessageExplanation>;

export const Problem = z.object({
  rowNumber: z.number().int(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type Problem = z.infer<typeof Problem>;

export const SampleRow = z.object({
  rowNumber: z.number().int(),
  /** Each message the row becomes, as it will be sent. */
  messages: z.array(z.string()),
  problems: z.array(Problem),
});
export type SampleRow = z.infer<typeof SampleRow>;

/**
 * What a mapping would silently drop, merge or hide (`app/map/integrity.ts`): two columns for one trait, a mapped
 * column gone after a re-read, a column used as an ID and a trait, dates sent as text… Each with the columns it
 * names and the mappings that fix it, one click each. Errors block the check and the send.
 */
export const MappingProblem = z.object({
  code: z.enum(['two-sources', 'joined-not-text', 'missing-column', 'id-and-trait', 'date-as-text', 'zeros-lost']),
  severity: z.enum(['error', 'warning']),
  columns: z.array(z.string()),
  message: z.string(),
  fixes: z.array(z.object({ label: z.string(), mapping: Mapping })),
});
export type MappingProblem = z.infer<typeof MappingProblem>;

// Preview

export const PreviewSummary = z.object({
  rows: z.number().int(),
  repeatsSkipped: z.number().int(),
  sendableRows: z.number().int(),
  excludedRows: z.number().int(),
  editedCells: z.number().int(),
  editedRows: z.number().int(),
  errorRows: z.number().int(),
  warningRows: z.number().int(),
  messages: z.number().int(),
  messagesByType: z.record(z.string(), z.number().int()),
  batches: z.number().int(),
  bytes: z.number().int(),
});
export type PreviewSummary = z.infer<typeof PreviewSummary>;

export const PreviewState = z.object({
  state: z.enum(['none', 'building', 'ready', 'failed', 'stale']),
  runTimestamp: z.string().nullable(),
  summary: PreviewSummary.nullable(),
  problem: z.string().nullable(),
  /** The mapping's integrity problems for the file as it is now read; an error keeps it from being checked or sent. */
  mappingProblems: z.array(MappingProblem).optional(),
});
export type PreviewState = z.infer<typeof PreviewState>;

export const BatchInfo = z.object({
  batch: z.number().int(),
  firstRow: z.number().int(),
  firstMessage: z.number().int(),
  messages: z.number().int(),
  bytes: z.number().int(),
  types: z.record(z.string(), z.number().int()),
});
export type BatchInfo = z.infer<typeof BatchInfo>;

export const RowProblems = z.object({
  rowNumber: z.number().int(),
  severity: z.enum(['error', 'warning']),
  problems: z.array(Problem),
});
export type RowProblems = z.infer<typeof RowProblems>;

/** A mapping saved under a name. */
export const Template = z.object({
  id: z.uuid(),
  name: z.string(),
  updatedAt: z.string(),
  /** The sheet columns its mapping uses. */
  columns: z.array(z.string()),
  mapping: Mapping,
});
export type Template = z.infer<typeof Template>;

/** A template that fits a file: the file has every column it uses. */
export const TemplateOffer = z.object({ template: Template, covered: z.number().int() });
export type TemplateOffer = z.infer<typeof TemplateOffer>;

/** What became of saving a file's batches as JSON Lines. */
export const SavedBatches = z.object({
  /** Where they were written, or null when the user chose no place (or the browser is downloading them). */
  path: z.string().nullable(),
  batches: z.number().int(),
  /** In the browser: the name of the file being downloaded. */
  download: z.string().nullable(),
});
export type SavedBatches = z.infer<typeof SavedBatches>;

/** Which rows Preview's grid shows. */
export const RowFilter = z.enum(['all', 'errors', 'warnings', 'excluded', 'edited']);
export type RowFilter = z.infer<typeof RowFilter>;

/** A row as the next run will read it: the user's edits applied, and its problems under the mapping. */
export const PreviewRow = z.object({
  rowNumber: z.number().int(),
  /** The cells as they will be sent, edits applied, in column order. */
  cells: z.array(z.string()),
  /** The file's own value of each edited cell, by column index. */
  edited: z.record(z.string(), z.string()),
  excluded: z.boolean(),
  problems: z.array(Problem),
});
export type PreviewRow = z.infer<typeof PreviewRow>;

// Sending

export const RunProgress = z.object({
  runId: z.uuid(),
  state: RunState,
  accepted: z.number().int(),
  rejected: z.number().int(),
  pending: z.number().int(),
  /** Of the pending messages, those Vitally may have received (a timeout, a dropped connection, a crash): they
   * are sent again with the same messageIds, which Vitally de-duplicates. */
  unknown: z.number().int(),
  /** Messages an earlier run of the same file (a trial) had delivered: this run does not send them again. */
  alreadyAccepted: z.number().int(),
  batchesDone: z.number().int(),
  batchesTotal: z.number().int(),
  /** What is happening now, in plain words. */
  status: z.string(),
  /** Whether sending is held up until the user acts (a refused token, a blocked type). */
  needsAttention: z.boolean(),
  /** What the run waits for from the user: a new token after Vitally refused the one it had. */
  needs: z.enum(['token']).nullable(),
  /** The file and workspace it sends, so a screen never shows one file's result as another's. */
  fileId: z.string().nullable().optional(),
  fileName: z.string().optional(),
  workspaceId: z.string().nullable().optional(),
  workspaceName: z.string().optional(),
  kind: z.enum(['send', 'trial', 'rerun']).optional(),
  parentRunId: z.string().nullable().optional(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const RejectedRow = z.object({
  rowNumber: z.number().int(),
  type: z.string(),
  status: z.number().int().nullable(),
  reason: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

/** What became of one message of an import. */
export const MessageOutcome = z.enum(['accepted', 'rejected', 'unknown', 'not-sent', 'left-out']);
export type MessageOutcome = z.infer<typeof MessageOutcome>;

export const TypeCounts = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  unknown: z.number().int(),
  notSent: z.number().int(),
  leftOut: z.number().int(),
});
export type TypeCounts = z.infer<typeof TypeCounts>;

/** An import opened from History or Results: everything about it but its rows and batches, which are paged. */
export const RunDetails = RunSummary.extend({
  baseUrl: z.string(),
  /** Per message type: accepted, rejected, unknown, not sent, left out (an earlier send delivered them). */
  byType: z.record(z.string(), TypeCounts),
  totals: TypeCounts,
  batches: z.number().int(),
  durationMs: z.number().int().nullable(),
  /** A trial's row limit. */
  rowLimit: z.number().int().nullable(),
  includeUnknown: z.boolean(),
  parent: z.object({ id: z.string(), createdAt: z.string(), fileName: z.string() }).nullable(),
  reruns: z.array(RunSummary),
  /** Whether the import's file is still in the app, so its rows can be shown, exported and fixed in place. */
  fileAvailable: z.boolean(),
  /**
   * Why the failed rows cannot be found by their numbers in the import's file any more (it was read again on
   * another sheet, header row, encoding or delimiter, or changed on disk), with the way out; null when they can.
   */
  fileProblem: z.string().nullable().default(null),
});
export type RunDetails = z.infer<typeof RunDetails>;

/** Which messages of an import a list shows: `failed` is refused and unknown. */
export const RunRowFilter = z.enum(['failed', 'rejected', 'unknown', 'accepted', 'not-sent', 'left-out', 'all']);
export type RunRowFilter = z.infer<typeof RunRowFilter>;

/** One message of an import, by its spreadsheet row: its outcome, in plain words, and the cells behind it. */
export const RunRow = z.object({
  rowNumber: z.number().int(),
  type: z.string(),
  outcome: MessageOutcome,
  status: z.number().int().nullable(),
  /** Vitally's own words, for a refusal. */
  reason: z.string().nullable(),
  /** What happened, in plain words, and what to do next. */
  explanation: z.string(),
  nextStep: z.string(),
  /** The columns the message is made from, with the row's values as sent; `culprit` marks the cell to fix. */
  cells: z.array(z.object({ column: z.string(), value: z.string(), culprit: z.boolean() })),
  batchId: z.string(),
  messageId: z.string(),
});
export type RunRow = z.infer<typeof RunRow>;

export const RunBatch = z.object({
  id: z.string(),
  state: z.string(),
  status: z.number().int().nullable(),
  reason: z.string().nullable(),
  messages: z.number().int(),
  firstRow: z.number().int().nullable(),
  lastRow: z.number().int().nullable(),
  sends: z.number().int(),
  sentAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
export type RunBatch = z.infer<typeof RunBatch>;

/** What a re-run of an import's failed rows would send, said before it sends. */
export const RerunPlan = z.object({
  messages: z.number().int(),
  rows: z.number().int(),
  byType: z.record(z.string(), z.number().int()),
  /** Messages of those rows Vitally already has: never sent again. */
  alreadyAccepted: z.number().int(),
  /** Failed rows that still have errors (not sent), by spreadsheet row of the file sent from. */
  rowsWithErrors: z.array(z.number().int()),
  /** Rows of a corrected file that stand for no failed row (not sent). */
  unmatchedRows: z.number().int(),
  excludedRows: z.number().int(),
  /** How many messages failed in the earlier import, and on how many rows. */
  failedMessages: z.number().int(),
  failedRows: z.number().int(),
  /** Why it cannot be sent yet (the rows need checking in Preview first), or null. */
  problem: z.string().nullable(),
  /**
   * Rows of a corrected file that name a failed row by their `Row` cell but carry other IDs (Excel dropped the
   * leading zeros, a row of another import was pasted in): not sent unless `sendChangedIds`. The first 200, each
   * with what to tell the user, and how many there are.
   */
  changedIds: z
    .array(
      z.object({
        row: z.number().int(),
        earlierRow: z.number().int(),
        from: z.string(),
        to: z.string(),
        leadingZeros: z.boolean(),
        text: z.string(),
      }),
    )
    .default([]),
  changedIdRows: z.number().int().default(0),
  /** Failed rows a corrected file has more than once: which rows, the one sent (or none), and what to say. */
  duplicates: z
    .array(
      z.object({
        earlierRow: z.number().int(),
        rows: z.array(z.number().int()),
        sentRow: z.number().int().nullable(),
        text: z.string(),
      }),
    )
    .default([]),
  /** Where `problem` is put right: Preview (check the rows) or Upload (read the file as the import did). */
  problemStep: z.enum(['preview', 'upload']).nullable().default(null),
});
export type RerunPlan = z.infer<typeof RerunPlan>;

export const RunExportFormat = z.enum(['failed-csv', 'failed-xlsx', 'report-csv', 'report-json']);
export type RunExportFormat = z.infer<typeof RunExportFormat>;

/** What became of an export: the file written (desktop), or a download for the browser to fetch. */
export const SavedExport = z.object({
  path: z.string().nullable(),
  /** In the browser: where to fetch it (once, within a minute), and the file's name. */
  download: z.string().nullable(),
  fileName: z.string(),
  rows: z.number().int(),
});
export type SavedExport = z.infer<typeof SavedExport>;

/** Commands the application menu (or a shortcut handled by main) asks the renderer to carry out. */
export const MenuCommand = z.enum(['show-history', 'show-about']);
export type MenuCommand = z.infer<typeof MenuCommand>;

// ---------------------------------------------------------------------------------------------------------------
// Calls

const noArgs = z.object({}).strict();

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
  planRerun: call(
    z
      .object({
        runId: z.uuid(),
        fileId: z.uuid().optional(),
        includeUnknown: z.boolean().optional(),
        /** Also a corrected file's rows that name a failed row but carry other IDs (see `changedIds`). */
        sendChangedIds: z.boolean().optional(),
      })
      .strict(),
    RerunPlan,
  ),
  /** Sends only an import's failed rows again, as `planRerun` says, as a new import linked to it. */
  startRerun: call(
    z
      .object({
        runId: z.uuid(),
        fileId: z.uuid().optional(),
        includeUnknown: z.boolean().optional(),
        sendChangedIds: z.boolean().optional(),
      })
      .strict(),
    z.object({ runId: z.uuid() }),
  ),
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
// Events

/** Every event main pushes to the renderer. */
export const events = {
  /** Preferences changed (in this window or another). */
  settingsChanged: Settings,
  /** A long-running task moved forward. */
  progress: Progress,
  /** A long-running task ended. */
  taskFinished: TaskFinished,
  /** A run moved forward or changed state. */
  runProgress: RunProgress,
  /** Main started reading a file the user chose outside the page (File › Open… in the desktop app). */
  fileLoadStarted: TaskStarted.extend({ name: z.string() }),
  /** The application menu asked for something. */
  menuCommand: MenuCommand,
  /** The app was started again on the same data folder; that start handed over to this one and opened nothing. */
  secondStart: z.object({}).strict(),
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

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
