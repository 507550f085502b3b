/**
 * The send worker: turns a file's checked rows into a journalled run (or resumes one) and sends it, off main's
 * thread. Main posts the token first, then may post pause, resume, cancel or a new token; the worker reports
 * the run's progress and the sender's status.
 */
import type { MessagePort } from 'node:worker_threads';
import { batchStream } from '../batch/batcher.ts';
import { runRecord } from '../messages/corrections.ts';
import { builtRows } from '../preview/check.ts';
import type { BuiltMessage } from '../messages/builder.ts';
import { openDatabase } from '../journal/database.ts';
import {
  Journal,
  liveOwners,
  RunBusyError,
  type PlannedBatch,
  type RunCounts,
  type RunState,
} from '../journal/journal.ts';
import type { Mapping } from '../map/mapping.ts';
import { rerunBasis } from '../journal/outcomes.ts';
import { RunBatches } from '../journal/run-batches.ts';
import { readFingerprint } from '../read/fingerprint.ts';
import { rerunMessages } from './rerun.ts';
import { emptyPlan } from './rerun-plan.ts';
import { fetchThroughPort } from './fetch-port.ts';
import { startRun } from './run.ts';
import type { SenderStatus } from './sender.ts';
import { thisThread } from '../threads/threads.ts';

export interface SendWorkerInput {
  databaseFile: string;
  baseUrl: string;
  /** This sender's id in the journal (`<pid>:<random id>`): a run has one live sender at a time. */
  owner: string;
  /** Where to send requests when the host has a `fetch` of its own (the desktop app: Electron's network stack). */
  fetchPort?: MessagePort | null;
  /** A run to resume, or what to create one from. */
  runId: string | null;
  create: {
    fileId: string;
    fileName: string;
    workspaceId: string;
    workspaceName: string;
    mapping: Mapping;
    columns: string[];
    rowCount: number;
    runTimestamp: string;
    /** Send only the first rows (a trial). */
    rowLimit: number | null;
    /** Send only the failed rows of an earlier run (see `rerun.ts`). */
    rerun?: RerunInput | null;
  } | null;
}

export interface RerunInput {
  parentRunId: string;
  /** Also the messages whose outcome the earlier run left unknown. */
  includeUnknown: boolean;
  /** The rows are the earlier run's own file's; otherwise a corrected file's, matched by `Row` and IDs. */
  sameFile: boolean;
  rowColumn: number | null;
  /** Also a corrected file's rows that name a failed row but carry other IDs (see `rerun.ts`). */
  sendChangedIds?: boolean;
}

export type SendWorkerCommand =
  | { type: 'start'; token: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'token'; token: string };

export type SendWorkerMessage =
  | { type: 'created'; runId: string }
  /** `state`: the run's state as this sender recorded it (main reads nothing from the journal to relay it). */
  | { type: 'progress'; runId: string; state: RunState; counts: RunCounts }
  | { type: 'status'; runId: string; status: SenderStatus; state: RunState; counts: RunCounts }
  | { type: 'done'; runId: string; state: RunState; counts: RunCounts }
  /** `busy`: another live sender has the run (or the file); nothing was sent. */
  | { type: 'failed'; message: string; busy?: boolean };

const thread = thisThread<SendWorkerInput, SendWorkerMessage, SendWorkerCommand>();
const { input, post } = thread;
const hostFetch = input.fetchPort ? fetchThroughPort(input.fetchPort) : null;
const db = openDatabase(input.databaseFile);
const journal = new Journal(db);
const runBatches = new RunBatches(db);
const HEARTBEAT_MS = 2000;
const PROGRESS_MS = 100;

/**
 * The Preview's batches, each numbered as in the Preview. Messages Vitally already accepted for this file in an
 * earlier run to the same address (a trial, an interrupted send) are left out of their batch, and a batch left
 * with none is not sent: a full send after a trial sends only what the trial did not.
 */
function* plannedBatches(
  create: NonNullable<SendWorkerInput['create']>,
  accepted: ReadonlySet<string>,
  skipped: { messages: number; byType: Record<string, number> },
): Generator<PlannedBatch> {
  function* messages(): Generator<BuiltMessage> {
    if (create.rerun) {
      const { rerun } = create;
      const basis = rerunBasis(db, rerun.parentRunId, rerun.includeUnknown);
      const source = {
        ...create,
        sameFile: rerun.sameFile,
        rowColumn: rerun.rowColumn,
        sendChangedIds: rerun.sendChangedIds ?? false,
      };
      yield* rerunMessages(db, source, basis, accepted, emptyPlan());
      return;
    }
    let rows = 0;
    for (const { messages: built, problems, excluded } of builtRows(
      db,
      create.fileId,
      create.rowCount,
      create.mapping,
      { columns: create.columns, runTimestamp: create.runTimestamp },
    )) {
      if (excluded) continue;
      if (create.rowLimit !== null && rows++ >= create.rowLimit) return;
      if (problems.some((p) => p.severity === 'error')) continue;
      yield* built;
    }
  }
  let index = 0;
  for (const whole of batchStream(messages())) {
    const seq = index++;
    const batch = accepted.size === 0 ? whole : whole.filter((m) => !accepted.has(m.messageId));
    skipped.messages += whole.length - batch.length;
    for (const m of whole) {
      if (accepted.has(m.messageId)) skipped.byType[m.type] = (skipped.byType[m.type] ?? 0) + 1;
    }
    if (batch.length === 0) continue;
    yield {
      id: String(seq),
      seq,
      messages: batch.map((m) => m.json),
      types: batch.map((m) => m.type),
      sourceRows: batch.map((m) => m.rowNumber),
    };
  }
}

void thread.next().then((first) => {
  if (first.type !== 'start') return;
  let runId: string | null = null;
  const end = () => {
    if (runId) journal.release(runId, input.owner);
    db.close();
    thread.close();
  };
  try {
    runId = input.create ? createRun(input.create) : claimRun(input.runId);
    sendRun(runId, first.token, end);
  } catch (error) {
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      busy: error instanceof RunBusyError,
    });
    // A run this sender could not claim is another's: leave its owner alone.
    if (error instanceof RunBusyError) runId = null;
    end();
  }
});

function createRun(create: NonNullable<SendWorkerInput['create']>): string {
  // The corrections the run is built with: edited cells (with the file's own values) and rows left out.
  const corrections = runRecord(db, create.fileId);
  const skipped = { messages: 0, byType: {} as Record<string, number> };
  const accepted = runBatches.acceptedMessageIds(create.fileId, input.baseUrl);
  const runId = journal.createRun(
    {
      fileName: create.fileName,
      workspaceName: create.workspaceName,
      workspaceId: create.workspaceId,
      baseUrl: input.baseUrl,
      fileId: create.fileId,
      // Which read of the file this run sends, so that its row numbers are not trusted once it is read otherwise.
      fileHash: readFingerprint(db, create.fileId),
      mapping: create.mapping,
      options: {
        runTimestamp: create.runTimestamp,
        rowLimit: create.rowLimit,
        ...corrections,
        ...(create.rerun ? { includeUnknown: create.rerun.includeUnknown } : {}),
      },
      rows: create.rowLimit ?? Math.max(0, create.rowCount - corrections.excludedRows.length),
      kind: create.rerun ? 'rerun' : create.rowLimit !== null ? 'trial' : 'send',
      parentRunId: create.rerun?.parentRunId ?? null,
    },
    plannedBatches(create, accepted, skipped),
    { id: input.owner, check: liveOwners() },
  );
  if (skipped.messages > 0) journal.setAlreadyAccepted(runId, skipped.messages, skipped.byType);
  // A re-run's rows are those it sends.
  if (create.rerun) journal.setRunRows(runId, runBatches.sourceRowCount(runId));
  return runId;
}

function claimRun(runId: string | null): string {
  if (!runId) throw new Error('No run to resume.');
  if (!journal.claim(runId, input.owner)) {
    throw new RunBusyError(
      'This import is already being sent, from another window or tab of the app. Follow it there; nothing has ' +
        'been sent twice.',
    );
  }
  journal.dropDelivered(runId);
  return runId;
}

function sendRun(runId: string, token: string, end: () => void): void {
  post({ type: 'created', runId });
  // The run's state as recorded in the journal: this sender records pausing and going on (main only relays them).
  let state: RunState = 'sending';
  // Progress at most every 100 ms, and always once more after the last answer of a burst, so that what the
  // Send screen shows after a pause is what Vitally received. The counts are kept by the journal as each outcome
  // is recorded, so reading them costs the same at the last batch of a million rows as at the first.
  let lastProgress = 0;
  let trailing: NodeJS.Timeout | null = null;
  const postProgress = () => {
    trailing = null;
    lastProgress = Date.now();
    post({ type: 'progress', runId, state, counts: journal.counts(runId) });
  };
  const progress = () => {
    const wait = lastProgress + PROGRESS_MS - Date.now();
    if (wait <= 0) postProgress();
    else trailing ??= setTimeout(postProgress, wait);
  };
  // The sender says "sending" as each request goes out: that is told at most every 100 ms too (the latest one
  // wins); any other status (a pause, a wait, a refused token) is told at once, after any "sending" held back.
  let lastSending = 0;
  let heldSending: { status: SenderStatus; timer: NodeJS.Timeout } | null = null;
  const postStatus = (status: SenderStatus) => {
    if (status.kind === 'sending') lastSending = Date.now();
    post({ type: 'status', runId, status, state, counts: journal.counts(runId) });
  };
  const onStatus = (status: SenderStatus) => {
    if (status.kind === 'paused' || status.kind === 'sending' || status.kind === 'waiting') {
      const next: RunState = status.kind === 'paused' ? 'paused' : 'sending';
      if (next !== state) journal.setRunState(runId, next);
      state = next;
    }
    if (heldSending) {
      clearTimeout(heldSending.timer);
      heldSending = null;
    }
    if (status.kind !== 'sending') return postStatus(status);
    const wait = lastSending + PROGRESS_MS - Date.now();
    if (wait <= 0) return postStatus(status);
    heldSending = {
      status,
      timer: setTimeout(() => {
        heldSending = null;
        postStatus(status);
      }, wait),
    };
  };
  const { sender, done } = startRun(journal, runId, {
    baseUrl: input.baseUrl,
    token,
    ...(hostFetch ? { fetch: hostFetch } : {}),
    hooks: {
      onOutcome: progress,
      onUnsettled: progress,
      onStatus,
    },
  });
  // While it sends, the run is this sender's; if another took it over (this one was thought gone), stop.
  const heartbeat = setInterval(() => {
    if (!journal.heartbeat(runId, input.owner)) sender.cancel();
  }, HEARTBEAT_MS);
  thread.onMessage((command) => {
    if (command.type === 'pause') sender.pause();
    else if (command.type === 'resume') sender.resume();
    else if (command.type === 'token') sender.setToken(command.token);
  });
  // `cancel` comes as the thread's signal.
  if (thread.signal.aborted) sender.cancel();
  else thread.signal.addEventListener('abort', () => sender.cancel(), { once: true });
  // The run is let go before its end is said: whoever hears it ended (and deletes it, or runs it again) finds it free.
  const letGo = () => {
    clearInterval(heartbeat);
    journal.release(runId, input.owner);
  };
  void done
    .then((ended) => {
      if (trailing) clearTimeout(trailing);
      if (heldSending) clearTimeout(heldSending.timer);
      letGo();
      post({ type: 'done', runId, state: ended, counts: journal.counts(runId) });
    })
    .catch((error: unknown) => {
      letGo();
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    })
    .finally(() => {
      clearInterval(heartbeat);
      end();
    });
}
