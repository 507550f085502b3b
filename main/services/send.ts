import { randomUUID } from 'node:crypto';
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { RejectedRow, RerunPlan, RunProgress, RunState } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { Journal, type RunCounts } from '../../app/journal/journal.ts';
import { RunBatches } from '../../app/journal/run-batches.ts';
import { RunRecords } from '../../app/journal/runs.ts';
import { serveFetchOnPort, type FetchLike } from '../../app/send/fetch-port.ts';
import type { SendWorkerCommand, SendWorkerInput, SendWorkerMessage } from '../../app/send/send-worker.ts';
import { startThread } from '../../app/threads/threads.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import type { FilesService } from './files.ts';
import type { PreviewService } from './preview.ts';
import type { SettingsService } from './settings.ts';
import type { WorkspacesService } from './workspaces.ts';
import { checkedMapping, nothingToRerun, RerunPlanner } from './rerun-planner.ts';
import { describeStatus } from './send-status.ts';

/** A sender's id in the journal: this process, and one worker of it. */
function newOwner(): string {
  return `${process.pid}:${randomUUID()}`;
}

/** Sending: a run per send, in a worker that journals and sends; progress relayed as `runProgress` events. */
export class SendService {
  readonly #db: Database;
  readonly #databaseFile: string;
  readonly #journal: Journal;
  readonly #runs: RunRecords;
  readonly #batches: RunBatches;
  readonly #reruns: RerunPlanner;
  readonly #files: FilesService;
  readonly #previews: PreviewService;
  readonly #workspaces: WorkspacesService;
  readonly #settings: SettingsService;
  readonly #bus: EventBus;
  readonly #log: Logger;
  /** The host's own `fetch` for requests to Vitally (the desktop app's: Electron's), or null for Node's. */
  readonly #fetch: FetchLike | null;
  readonly #workers = new Map<string, Worker>();
  /** Each live worker's id in the journal, to free its run when the app closes. */
  readonly #owners = new Map<string, string>();
  /** Runs being resumed whose worker has not yet said it has them: a second Resume waits for the first. */
  readonly #resuming = new Map<string, Promise<{ runId: string }>>();
  readonly #status = new Map<string, ReturnType<typeof describeStatus>>();

  constructor(options: {
    db: Database;
    databaseFile: string;
    files: FilesService;
    previews: PreviewService;
    workspaces: WorkspacesService;
    settings: SettingsService;
    bus: EventBus;
    log: Logger;
    fetch?: FetchLike | null;
  }) {
    this.#fetch = options.fetch ?? null;
    this.#db = options.db;
    this.#databaseFile = options.databaseFile;
    this.#journal = new Journal(options.db);
    this.#runs = new RunRecords(options.db);
    this.#batches = new RunBatches(options.db);
    this.#reruns = new RerunPlanner(options);
    this.#files = options.files;
    this.#previews = options.previews;
    this.#workspaces = options.workspaces;
    this.#settings = options.settings;
    this.#bus = options.bus;
    this.#log = options.log;
    // Runs cut short by a crash: their batches on the way are now unknown, and the runs interrupted. A run
    // another live app is sending is not touched.
    this.#journal.recover();
  }

  async start(fileId: string, trialRows: number | undefined): Promise<{ runId: string }> {
    const workspaceId = this.#settings.get().workspaceId;
    const workspace = this.#workspaces.list().find((w) => w.id === workspaceId);
    if (!workspaceId || !workspace)
      throw new ServiceError('FAILED_PRECONDITION', 'Choose a workspace in Connect first.');
    const token = this.#workspaces.token(workspaceId);
    if (!token)
      throw new ServiceError('FAILED_PRECONDITION', `“${workspace.name}” has no token. Add one in Connect first.`);
    const preview = this.#previews.get(fileId);
    if (preview.state !== 'ready' || !preview.runTimestamp) {
      throw new ServiceError('FAILED_PRECONDITION', 'Check the rows in Preview first: the mapping has changed since.');
    }
    const file = this.#files.get(fileId);
    const input: SendWorkerInput = {
      databaseFile: this.#databaseFile,
      baseUrl: workspace.baseUrl,
      owner: newOwner(),
      runId: null,
      create: {
        fileId,
        fileName: file.name,
        workspaceId,
        workspaceName: workspace.name,
        mapping: checkedMapping(this.#db, fileId),
        columns: file.result?.columns.map((c) => c.name) ?? [],
        rowCount: file.result?.rowCount ?? 0,
        runTimestamp: preview.runTimestamp,
        rowLimit: trialRows ?? null,
      },
    };
    return this.#launch(input, token);
  }

  /** What re-running a run's failed rows would send (`RerunPlanner.plan`). */
  planRerun(
    parentRunId: string,
    fileId: string | undefined,
    includeUnknown: boolean,
    sendChangedIds = false,
  ): RerunPlan {
    return this.#reruns.plan(parentRunId, fileId, includeUnknown, sendChangedIds);
  }

  /** Sends a run's failed rows again, as a new run linked to it, to the same workspace. */
  async startRerun(
    parentRunId: string,
    fileId: string | undefined,
    includeUnknown: boolean,
    sendChangedIds = false,
  ): Promise<{ runId: string }> {
    const plan = this.planRerun(parentRunId, fileId, includeUnknown, sendChangedIds);
    if (plan.problem) throw new ServiceError('FAILED_PRECONDITION', plan.problem);
    if (plan.messages === 0) throw new ServiceError('FAILED_PRECONDITION', nothingToRerun(plan));
    const parent = this.#reruns.parent(parentRunId);
    const { token, baseUrl } = this.#runToken(parentRunId);
    const source = this.#reruns.source(parentRunId, fileId);
    const file = this.#files.get(source.fileId);
    const workspace = this.#workspaces.list().find((w) => w.id === parent.workspaceId);
    return this.#launch(
      {
        databaseFile: this.#databaseFile,
        baseUrl,
        owner: newOwner(),
        runId: null,
        create: {
          fileId: source.fileId,
          fileName: file.name,
          workspaceId: parent.workspaceId ?? '',
          workspaceName: workspace?.name ?? parent.workspaceName,
          mapping: source.mapping,
          columns: [...source.columns],
          rowCount: source.rowCount,
          runTimestamp: source.runTimestamp,
          rowLimit: null,
          rerun: {
            parentRunId,
            includeUnknown,
            sameFile: source.sameFile,
            rowColumn: source.rowColumn,
            sendChangedIds,
          },
        },
      },
      token,
    );
  }

  /**
   * Resumes an interrupted or paused run with the workspace's current token. A run has one sender at a time: if
   * this app is sending it already (a second tab, History's Resume beside the banner), that sender goes on; if
   * another app instance is, the call is refused and nothing is sent twice.
   */
  async resumeRun(runId: string): Promise<{ runId: string }> {
    if (this.#workers.has(runId)) {
      this.command(runId, 'resume');
      return { runId };
    }
    const pending = this.#resuming.get(runId);
    if (pending) return pending;
    const resumed = this.#resume(runId).finally(() => this.#resuming.delete(runId));
    this.#resuming.set(runId, resumed);
    return resumed;
  }

  /**
   * The token to go on sending a run with: its workspace's current one, and only while that workspace still points
   * at the address the run was sending to. A workspace moved to another address has another Vitally's token, which
   * must never be sent to the old address.
   */
  #runToken(runId: string): { token: string; baseUrl: string } {
    const found = this.#runTokenIfSaved(runId);
    if (!found.token)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        'The workspace of this import has no token. Add one in Connect first.',
      );
    return { token: found.token, baseUrl: found.baseUrl };
  }

  /** As `#runToken`, but a token that cannot be read now (none saved, a keychain that does not answer) is null. */
  #runTokenIfSaved(runId: string): { token: string | null; baseUrl: string } {
    const run = this.#runs.record(runId);
    if (!run?.workspaceId) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    const workspace = this.#workspaces.list().find((w) => w.id === run.workspaceId);
    if (!workspace) throw new ServiceError('NOT_FOUND', 'The workspace of this import is no longer in the app.');
    if (workspace.baseUrl !== run.baseUrl) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `This import was going to ${run.baseUrl}, but “${workspace.name}” now points at ${workspace.baseUrl}, so it ` +
          'cannot go on: its token is for the new address. Send the file again from Preview instead.',
      );
    }
    return { token: this.#workspaces.token(run.workspaceId), baseUrl: run.baseUrl };
  }

  async #resume(runId: string): Promise<{ runId: string }> {
    const { token, baseUrl } = this.#runToken(runId);
    return this.#launch({ databaseFile: this.#databaseFile, baseUrl, owner: newOwner(), runId, create: null }, token);
  }

  /** Keeps a new token for the run's workspace, in the same kind of store as the refused one, and resumes. */
  replaceToken(runId: string, token: string): { ok: boolean } {
    const run = this.#runs.record(runId);
    const workspace = this.#workspaces.list().find((w) => w.id === run?.workspaceId);
    if (!run || !workspace) {
      throw new ServiceError('NOT_FOUND', 'The workspace of this import is no longer in the app.');
    }
    if (workspace.baseUrl !== run.baseUrl) this.#runToken(runId); // Says why it cannot go on; saves nothing.
    this.#workspaces.save({
      id: workspace.id,
      name: workspace.name,
      address: workspace.address,
      token,
      sessionOnly: workspace.token.storage === 'session',
    });
    return { ok: this.command(runId, 'resume') };
  }

  command(runId: string, command: 'pause' | 'resume' | 'cancel'): boolean {
    const worker = this.#workers.get(runId);
    if (!worker) return false;
    if (command === 'resume') {
      // A run paused for its token picks up the workspace's current one (refused if the workspace has moved). When
      // none can be read now, the sender goes on with the token it has: a refusal would pause it again, saying so.
      const { token } = this.#runTokenIfSaved(runId);
      if (token) worker.postMessage({ type: 'token', token } satisfies SendWorkerCommand);
    }
    worker.postMessage({ type: command } satisfies SendWorkerCommand);
    return true;
  }

  progress(runId: string): RunProgress {
    const run = this.#runs.record(runId);
    if (!run) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    return this.#toProgress(runId, run.state, this.#journal.counts(runId));
  }

  rejected(runId: string, limit = 200): RejectedRow[] {
    return this.#batches.refused(runId, limit).map((batch) => ({
      ...batch,
      reason: batch.reason ?? 'Vitally refused it without a reason.',
    }));
  }

  /** Stops every sender at once, as quitting does; what they had on its way is recovered as unknown. */
  async close(): Promise<void> {
    const workers = [...this.#workers];
    await Promise.all(workers.map(([, worker]) => worker.terminate()));
    if (!this.#db.isOpen) return;
    for (const [runId] of workers) {
      const owner = this.#owners.get(runId);
      if (owner) this.#journal.release(runId, owner);
    }
    this.#journal.recover();
  }

  #launch(input: SendWorkerInput, token: string): Promise<{ runId: string }> {
    // With a host `fetch`, the worker's requests come back here over a port of their own and go out through it.
    const channel = this.#fetch ? new MessageChannel() : null;
    const workerInput: SendWorkerInput = { ...input, fetchPort: channel?.port2 ?? null };
    const worker = startThread('send-worker', workerInput, { transferList: channel ? [channel.port2] : [] });
    if (channel && this.#fetch) worker.once('exit', serveFetchOnPort(channel.port1, this.#fetch));
    worker.postMessage({ type: 'start', token } satisfies SendWorkerCommand);
    return new Promise((resolve, reject) => {
      let runId: string | null = null;
      worker.on('message', (message: SendWorkerMessage) => {
        switch (message.type) {
          case 'created':
            runId = message.runId;
            this.#workers.set(runId, worker);
            this.#owners.set(runId, input.owner);
            resolve({ runId });
            return;
          // Main's thread relays what the worker says, state and counts included: it reads nothing from the journal
          // and writes nothing to it while a run is sent (the worker records pausing, going on and the end).
          case 'progress': {
            // An answer can arrive after a pause: the run stays in whatever state it is in. Its end is told by
            // `done` alone, with the final counts: this progress may have been posted just before the last answer.
            const ended = message.state === 'finished' || message.state === 'cancelled';
            this.#emit(message.runId, ended ? 'sending' : message.state, message.counts);
            return;
          }
          case 'status':
            this.#status.set(message.runId, describeStatus(message.status));
            this.#emit(message.runId, message.state, message.counts);
            return;
          case 'done':
            this.#workers.delete(message.runId);
            this.#status.set(
              message.runId,
              describeStatus({ kind: message.state === 'cancelled' ? 'cancelled' : 'finished' }),
            );
            this.#emit(message.runId, message.state, message.counts);
            return;
          case 'failed':
            if (message.busy) {
              reject(new ServiceError('FAILED_PRECONDITION', message.message));
              return;
            }
            this.#log.error('sending failed', { runId, message: message.message });
            if (runId) this.#workers.delete(runId);
            else reject(new ServiceError('INTERNAL', 'The import could not start. The details are in the log.'));
            return;
        }
      });
      worker.on('error', (error) => {
        this.#log.error('send worker crashed', { runId, error });
        if (!runId) reject(new ServiceError('INTERNAL', 'The import could not start. The details are in the log.'));
      });
      // However the worker ends, its run is free again (a crashed worker cannot say so itself).
      worker.once('exit', () => {
        if (!runId) return;
        if (this.#workers.get(runId) === worker) this.#workers.delete(runId);
        if (this.#db.isOpen) this.#journal.release(runId, input.owner);
      });
    });
  }

  #emit(runId: string, state: RunState, counts: RunCounts): void {
    this.#bus.emit('runProgress', this.#toProgress(runId, state, counts));
  }

  #toProgress(runId: string, state: RunState, counts: RunCounts): RunProgress {
    const status = this.#status.get(runId) ?? {
      text: state === 'interrupted' ? 'Interrupted when the app closed. Resume to send the rest.' : '',
      attention: false,
    };
    const b = counts.batches;
    const run = this.#runs.record(runId);
    return {
      runId,
      state,
      ...(run
        ? {
            fileId: run.fileId,
            fileName: run.fileName,
            workspaceId: run.workspaceId,
            workspaceName: run.workspaceName,
            kind: run.kind,
            parentRunId: run.parentRunId,
          }
        : {}),
      accepted: counts.messages.accepted,
      rejected: counts.messages.rejected,
      pending: counts.messages.pending,
      unknown: counts.messages.unknown,
      alreadyAccepted: run?.alreadyAccepted ?? 0,
      batchesDone: b.accepted + b.rejected,
      batchesTotal: b.accepted + b.rejected + b.planned + b.sending + b.unknown,
      status: status.text,
      needsAttention: status.attention,
      // Only a run that is still open can take a new token.
      needs: status.needs === 'token' && this.#workers.has(runId) ? 'token' : null,
    };
  }
}
