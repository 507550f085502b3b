import { Mapping, type RerunPlan } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { rerunBasis } from '../../app/journal/outcomes.ts';
import { previewOf } from '../../app/journal/previews.ts';
import { RunBatches } from '../../app/journal/run-batches.ts';
import { RunRecords, type RunRecord } from '../../app/journal/runs.ts';
import { ROW_COLUMN, ROW_COLUMN_ALT } from '../../app/export/run-export.ts';
import { rereadProblem } from '../../app/read/fingerprint.ts';
import { rerunMessages, type RerunSource } from '../../app/send/rerun.ts';
import { emptyPlan } from '../../app/send/rerun-plan.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';
import type { PreviewService } from './preview.ts';

/**
 * Re-runs before they are sent: which file a re-run of an import's failed rows reads (its own, as it now reads, or
 * a corrected one, checked in Preview), and what it would send, counted by the same generator that makes the
 * re-run's batches in the send worker (`app/send/rerun.ts`), so the number shown is the number sent.
 */
export class RerunPlanner {
  readonly #db: Database;
  readonly #runs: RunRecords;
  readonly #batches: RunBatches;
  readonly #files: FilesService;
  readonly #previews: PreviewService;

  constructor(options: { db: Database; files: FilesService; previews: PreviewService }) {
    this.#db = options.db;
    this.#runs = new RunRecords(options.db);
    this.#batches = new RunBatches(options.db);
    this.#files = options.files;
    this.#previews = options.previews;
  }

  /** The import re-run. */
  parent(runId: string): RunRecord {
    const run = this.#runs.record(runId);
    if (!run) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
    return run;
  }

  /**
   * What re-running a run's failed rows would send: from its own file as it now reads (fixed in place, or under a
   * changed mapping), or from a corrected file. Counted by the same function that makes the re-run's batches.
   */
  plan(parentRunId: string, fileId: string | undefined, includeUnknown: boolean, sendChangedIds: boolean): RerunPlan {
    const basis = rerunBasis(this.#db, parentRunId, includeUnknown);
    const failed = { failedMessages: basis.failedMessages, failedRows: basis.failedRowNumbers.length };
    let source: RerunSource;
    try {
      source = this.source(parentRunId, fileId);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== 'FAILED_PRECONDITION') throw error;
      // The import's own file read another way since is put right in Upload; anything else in Preview.
      const reread = (!fileId || fileId === this.parent(parentRunId).fileId) && rereadProblem(this.#db, parentRunId);
      return { ...emptyPlan(), ...failed, problem: error.message, problemStep: reread ? 'upload' : 'preview' };
    }
    source.sendChangedIds = sendChangedIds;
    const plan = emptyPlan();
    const { baseUrl } = this.parent(parentRunId);
    const accepted = this.#batches.acceptedMessageIds(source.fileId, baseUrl);
    const messages = rerunMessages(this.#db, source, basis, accepted, plan);
    while (!messages.next().done);
    return { ...plan, rowsWithErrors: plan.rowsWithErrors.slice(0, 200), ...failed, problem: null, problemStep: null };
  }

  /** The file a re-run reads its rows from, checked in Preview under its current mapping. */
  source(parentRunId: string, fileId: string | undefined): RerunSource {
    const parent = this.parent(parentRunId);
    const sourceId = fileId ?? parent.fileId;
    if (!sourceId) throw new ServiceError('FAILED_PRECONDITION', 'The file of this import is no longer in the app.');
    const file = this.#files.get(sourceId);
    // The import's own file, read another way since (or changed on disk): its row numbers name other rows.
    const reread = sourceId === parent.fileId ? rereadProblem(this.#db, parentRunId) : null;
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
    const columns = file.result?.columns.map((c) => c.name) ?? [];
    const sameFile = sourceId === parent.fileId;
    const named = [ROW_COLUMN_ALT, ROW_COLUMN].map((name) => columns.indexOf(name)).find((i) => i >= 0);
    return {
      fileId: sourceId,
      rowCount: file.result?.rowCount ?? 0,
      mapping: checkedMapping(this.#db, sourceId),
      columns,
      runTimestamp: preview.runTimestamp,
      sameFile,
      rowColumn: sameFile ? null : (named ?? null),
    };
  }
}

/** Why a plan sends nothing, in plain words. */
export function nothingToRerun(plan: RerunPlan): string {
  return plan.rowsWithErrors.length > 0
    ? 'Nothing to re-run: the failed rows still have errors. Fix them in Preview first.'
    : plan.changedIdRows > 0
      ? `Nothing to re-run: ${plan.changedIds[0]?.text ?? 'the rows’ IDs changed.'}`
      : plan.duplicates.length > 0
        ? `Nothing to re-run: ${plan.duplicates[0]?.text ?? ''}`
        : 'Nothing to re-run: no failed row is left to send.';
}

/** The mapping a file's ready check was made under: what a send of it sends. */
export function checkedMapping(db: Database, fileId: string): Mapping {
  return Mapping.parse(previewOf(db, fileId)?.mapping);
}
