/** The contract's values for sending and results: progress, outcomes, re-runs and opened imports. */
import { z } from 'zod';
import { RunKind, RunState, RunSummary } from './values.ts';

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
  kind: RunKind.optional(),
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
