/**
 * The send worker: turns a file's checked rows into a journalled run (or resumes one) and sends it, off main's
 * thread. Main posts the token first, then may post pause, resume, cancel or a new token; the worker reports
 * the run's progress and the sender's status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { batchStream } from '../batch/batcher.ts';
import { runRecord } from '../build/corrections.ts';
import { builtRows } from '../build/preview.ts';
import type { BuiltMessage } from '../build/builder.ts';
import { openDatabase } from '../journal/database.ts';
import { Journal, type PlannedBatch, type RunCounts, type RunState } from '../journal/journal.ts';
import type { Mapping } from '../map/mapping.ts';
import { startRun } from './run.ts';
import type { SenderStatus } from './sender.ts';

export interface SendWorkerInput {
  databaseFile: string;
  baseUrl: string;
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
  } | null;
}

export type SendWorkerCommand =
  | { type: 'start'; token: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'token'; token: string };

export type SendWorkerMessage =
  | { type: 'created'; runId: string }
  | { type: 'progress'; runId: string; counts: RunCounts }
  | { type: 'status'; runId: string; status: SenderStatus }
  | { type: 'done'; runId: string; state: RunState; counts: RunCounts }
  | { type: 'failed'; message: string };

const input = workerData as SendWorkerInput;
const post = (message: SendWorkerMessage) => parentPort?.postMessage(message);
const db = openDatabase(input.databaseFile);
const journal = new Journal(db);

function* plannedBatches(create: NonNullable<SendWorkerInput['create']>): Generator<PlannedBatch> {
  function* messages(): Generator<BuiltMessage> {
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
  for (const batch of batchStream(messages())) {
    yield {
      id: String(index++),
      messages: batch.map((m) => m.json),
      types: batch.map((m) => m.type),
      sourceRows: batch.map((m) => m.rowNumber),
    };
  }
}

parentPort?.once('message', (first: SendWorkerCommand) => {
  if (first.type !== 'start') return;
  try {
    // The corrections the run is built with: edited cells (with the file's own values) and rows left out.
    const corrections = input.create ? runRecord(db, input.create.fileId) : { edits: [], excludedRows: [] };
    const runId =
      input.runId ??
      journal.createRun(
        {
          fileName: input.create?.fileName ?? '',
          workspaceName: input.create?.workspaceName ?? '',
          workspaceId: input.create?.workspaceId ?? null,
          baseUrl: input.baseUrl,
          fileId: input.create?.fileId ?? null,
          mapping: input.create?.mapping ?? {},
          options: { runTimestamp: input.create?.runTimestamp, rowLimit: input.create?.rowLimit, ...corrections },
          rows: input.create?.rowLimit ?? Math.max(0, (input.create?.rowCount ?? 0) - corrections.excludedRows.length),
        },
        input.create ? plannedBatches(input.create) : [],
      );
    post({ type: 'created', runId });
    let lastProgress = 0;
    const { sender, done } = startRun(journal, runId, {
      baseUrl: input.baseUrl,
      token: first.token,
      hooks: {
        onOutcome: () => {
          const now = Date.now();
          if (now - lastProgress < 100) return;
          lastProgress = now;
          post({ type: 'progress', runId, counts: journal.counts(runId) });
        },
        onStatus: (status) => post({ type: 'status', runId, status }),
      },
    });
    parentPort?.on('message', (command: SendWorkerCommand) => {
      if (command.type === 'pause') sender.pause();
      else if (command.type === 'resume') sender.resume();
      else if (command.type === 'cancel') sender.cancel();
      else if (command.type === 'token') sender.setToken(command.token);
    });
    void done
      .then((state) => post({ type: 'done', runId, state, counts: journal.counts(runId) }))
      .catch((error: unknown) =>
        post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        db.close();
        parentPort?.close();
      });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    db.close();
    parentPort?.close();
  }
});
