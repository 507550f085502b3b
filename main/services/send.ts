import { randomUUID } from 'node:crypto';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Mapping, type RejectedRow, type RerunPlan, type RunProgress, type RunState } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { Journal, type RunCounts } from '../../app/journal/journal.ts';
import { rerunBasis } from '../../app/journal/outcomes.ts';
import { rereadProblem } from '../../app/read/fingerprint.ts';
import { ROW_COLUMN, ROW_COLUMN_ALT } from '../../app/export/run-export.ts';
import { emptyPlan, rerunMessages, type RerunSource } from '../../app/send/rerun.ts';
import { serveFetchOnPort, type FetchLike } from '../../app/send/fetch-port.ts';
import type { SendWorkerCommand, SendWorkerInput, SendWorkerMessage } from '../../app/send/send-worker.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import type { FilesService } from './files.ts';
import type { PreviewService } from './preview.ts';
import type { SettingsService } from './settings.ts';
import type { WorkspacesService } from './workspaces.ts';
import { describeStatus } from './send-status.ts';

const SEND_WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../app/send/send-worker.ts', import.meta.url)
  : new URL('./send-worker.js', import.meta.url);

/** A sender's id in the journal: this process, and one worker of it. */
function newOwner(): string {
  return `${process.pid}:${randomUUID()}`;
}

/** Sending: a run per send, in a worker that journals and sends; progress relayed as `runProgress` events. */
export class SendService {
  readonly #db: Database;
  readonly #databaseFile: string;
  readonly #journal: Journal;
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
    const stored = this.#db.prepare('SELECT mapping FROM previews WHERE file_id = ?').get(fileId) as {
      mapping: string;
    };
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
        mapping: Mapping.parse(JSON.parse(stored.mapping)),
        columns: file.result?.columns.map((c) => c.name) ?? [],
        rowCount: file.result?.rowCount ?? 0,
        runTimestamp: preview.runTimestamp,
        rowLimit: trialRows ?? null,
      },
    };
    return this.#launch(input, token);
  }

  /**
   * What re-running a run's failed rows would send: from its own file as it now reads (fixed in place, or under a
   * changed mapping), or from a corrected file. Counted by the same function that makes the re-run's batches.
   */
  planRerun(
    parentRunId: string,
    fileId: string | undefined,
    includeUnknown: boolean,
    sendChangedIds = false,
  ): RerunPlan {
    const basis = rerunBasis(this.#db, parentRunId, includeUnknown);
    const failed = { failedMessages: basis.failedMessages, failedRows: basis.failedRowNumbers.length };
    let source: RerunSource;
    try {
      source = this.#rerunSource(parentRunId, fileId);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== 'FAILED_PRECONDITION') throw error;
      // The import's own file read another way since is put right in Upload; anything else in Preview.
      const reread = (!fileId || fileId === this.#parent(parentRunId).file_id) && rereadProblem(this.#db, parentRunId);
      return { ...emptyPlan(), ...failed, problem: error.message, problemStep: reread ? 'upload' : 'preview' };
    }
    source.sendChangedIds = sendChangedIds;
    const plan = emptyPlan();
    const { base_url: baseUrl } = this.#parent(parentRunId);
    const accepted = this.#journal.acceptedMessageIds(source.fileId, baseUrl);
    const messages = rerunMessages(this.#db, source, basis, accepted, plan);
    while (!messages.next().done);
    return { ...plan, rowsWithErrors: plan.rowsWithErrors.slice(0, 200), ...failed, problem: null, problemStep: null };
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
    if (plan.messages === 0) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        plan.rowsWithErrors.length > 0
          ? 'Nothing to re-run: the failed rows still have errors. Fix them in Preview first.'
          : plan.changedIdRows > 0
            ? `Nothing to re-run: ${plan.changedIds[0]?.text ?? 'the rows’ IDs changed.'}`
            : plan.duplicates.length > 0
              ? `Nothing to re-run: ${plan.duplicates[0]?.text ?? ''}`
              : 'Nothing to re-run: no failed row is left to send.',
      );
    }
    const parent = this.#parent(parentRunId);
    const { token, baseUrl } = this.#runToken(parentRunId);
    const source = this.#rerunSource(parentRunId, fileId);
    const file = this.#files.get(source.fileId);
    const workspace = this.#workspaces.list().find((w) => w.id === parent.workspace_id);
    return this.#launch(
      {
        databaseFile: this.#databaseFile,
        baseUrl,
        owner: newOwner(),
        runId: null,
        create: {
          fileId: source.fileId,
          fileName: file.name,
          workspaceId: parent.workspace_id ?? '',
          workspaceName: workspace?.name ?? parent.workspace_name,
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

  #parent(runId: string): {
    file_id: string | null;
    base_url: string;
    workspace_id: string | null;
    workspace_name: string;
  } {
    const row = this.#db
      .prepare('SELECT file_id, base_url, workspace_id, workspace_name FROM runs WHERE id = ?')
      .get(runId) as
      { file_id: string | null; base_url: string; workspace_id: string | null; workspace_name: string } | undefined;
    if (!row) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    return row;
  }

  /** The file a re-run reads its rows from, checked in Preview under its current mapping. */
  #rerunSource(parentRunId: string, fileId: string | undefined): RerunSource {
    const parent = this.#parent(parentRunId);
    const sourceId = fileId ?? parent.file_id;
    if (!sourceId) throw new ServiceError('FAILED_PRECONDITION', 'The file of this import is no longer in the app.');
    const file = this.#files.get(sourceId);
    // The import's own file, read another way since (or changed on disk): its row numbers name other rows.
    const reread = sourceId === parent.file_id ? rereadProblem(this.#db, parentRunId) : null;
    if (reread) throw new ServiceError('FAILED_PRECONDITION', reread);
    const preview = this.#previews.get(sourceId);
    if (preview.state !== 'ready' || !preview.runTimestamp) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `Check the rows of “${file.name}” in Preview first: ${
          preview.state === 'building' ? 'the check is still running.' : 'they changed since the last check.'
        }`,
      );
    }
    const stored = this.#db.prepare('SELECT mapping FROM previews WHERE file_id = ?').get(sourceId) as {
      mapping: string;
    };
    const columns = file.result?.columns.map((c) => c.name) ?? [];
    const sameFile = sourceId === parent.file_id;
    const named = [ROW_COLUMN_ALT, ROW_COLUMN].map((name) => columns.indexOf(name)).find((i) => i >= 0);
    return {
      fileId: sourceId,
      rowCount: file.result?.rowCount ?? 0,
      mapping: Mapping.parse(JSON.parse(stored.mapping)),
      columns,
      runTimestamp: preview.runTimestamp,
      sameFile,
      rowColumn: sameFile ? null : (named ?? null),
    };
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
    const row = this.#db.prepare('SELECT workspace_id, base_url FROM runs WHERE id = ?').get(runId) as
      { workspace_id: string | null; base_url: string } | undefined;
    if (!row?.workspace_id) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    const workspace = this.#workspaces.list().find((w) => w.id === row.workspace_id);
    if (!workspace) throw new ServiceError('NOT_FOUND', 'The workspace of this import is no longer in the app.');
    if (workspace.baseUrl !== row.base_url) {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `This import was going to ${row.base_url}, but “${workspace.name}” now points at ${workspace.baseUrl}, so it ` +
          'cannot go on: its token is for the new address. Send the file again from Preview instead.',
      );
    }
    return { token: this.#workspaces.token(row.workspace_id), baseUrl: row.base_url };
  }

  async #resume(runId: string): Promise<{ runId: string }> {
    const { token, baseUrl } = this.#runToken(runId);
    const row = { base_url: baseUrl };
    return this.#launch(
      { databaseFile: this.#databaseFile, baseUrl: row.base_url, owner: newOwner(), runId, create: null },
      token,
    );
  }

  /** Keeps a new token for the run's workspace, in the same kind of store as the refused one, and resumes. */
  replaceToken(runId: string, token: string): { ok: boolean } {
    const row = this.#db.prepare('SELECT workspace_id FROM runs WHERE id = ?').get(runId) as
      { workspace_id: string | null } | undefined;
    const workspace = this.#workspaces.list().find((w) => w.id === row?.workspace_id);
    if (!workspace) throw new ServiceError('NOT_FOUND', 'The workspace of this import is no longer in the app.');
    const { base_url: runUrl } = this.#db.prepare('SELECT base_url FROM runs WHERE id = ?').get(runId) as {
      base_url: string;
    };
    if (workspace.baseUrl !== runUrl) this.#runToken(runId); // Says why it cannot go on; saves nothing.
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
    const row = this.#db.prepare('SELECT state FROM runs WHERE id = ?').get(runId) as { state: RunState } | undefined;
    if (!row) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    return this.#toProgress(runId, row.state, this.#journal.counts(runId));
  }

  rejected(runId: string, limit = 200): RejectedRow[] {
    const rows = this.#db
      .prepare(
        "SELECT source_rows, types, status, reason FROM run_batches WHERE run_id = ? AND state = 'rejected' ORDER BY seq LIMIT ?",
      )
      .all(runId, limit) as { source_rows: string; types: string; status: number | null; reason: string | null }[];
    return rows.map((row) => ({
      rowNumber: (JSON.parse(row.source_rows) as number[])[0] ?? 0,
      type: (JSON.parse(row.types) as string[])[0] ?? '',
      status: row.status,
      reason: row.reason ?? 'Vitally refused it without a reason.',
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
    const worker = new Worker(SEND_WORKER, {
      workerData: { ...input, fetchPort: channel?.port2 ?? null } satisfies SendWorkerInput,
      transferList: channel ? [channel.port2] : [],
    });
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
    const run = this.#db
      .prepare('SELECT file_id, file_name, workspace_id, workspace_name, kind, parent_run_id FROM runs WHERE id = ?')
      .get(runId) as
      | {
          file_id: string | null;
          file_name: string;
          workspace_id: string | null;
          workspace_name: string;
          kind: 'send' | 'trial' | 'rerun';
          parent_run_id: string | null;
        }
      | undefined;
    return {
      runId,
      state,
      ...(run
        ? {
            fileId: run.file_id,
            fileName: run.file_name,
            workspaceId: run.workspace_id,
            workspaceName: run.workspace_name,
            kind: run.kind,
            parentRunId: run.parent_run_id,
          }
        : {}),
      accepted: counts.messages.accepted,
      rejected: counts.messages.rejected,
      pending: counts.messages.pending,
      unknown: counts.messages.unknown,
      alreadyAccepted: this.#journal.alreadyAccepted(runId),
      batchesDone: b.accepted + b.rejected,
      batchesTotal: b.accepted + b.rejected + b.planned + b.sending + b.unknown,
      status: status.text,
      needsAttention: status.attention,
      // Only a run that is still open can take a new token.
      needs: status.needs === 'token' && this.#workers.has(runId) ? 'token' : null,
    };
  }
}
