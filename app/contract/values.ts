/** The contract's shared values: errors, the app and its settings, runs in History, files and workspaces. */
import { z } from 'zod';
import { DELIMITERS } from '../read/detect.ts';
import { ENCODINGS } from '../read/encodings.ts';

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

/** A whole file, a trial of its first rows, or a re-run of an earlier import's failed rows. */
export const RunKind = z.enum(['send', 'trial', 'rerun']);
export type RunKind = z.infer<typeof RunKind>;

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
  kind: RunKind.default('send'),
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
