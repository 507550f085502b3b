import { RunSummary } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import { RunRecords } from '../../app/journal/runs.ts';

const DEFAULT_LIMIT = 50;

/** History's list: every import, newest first, as the runs read model (`app/journal/runs.ts`) gives it. */
export class RunsService {
  readonly #runs: RunRecords;

  constructor(db: Database) {
    this.#runs = new RunRecords(db);
  }

  list(limit = DEFAULT_LIMIT): RunSummary[] {
    return this.#runs.listing(limit).map((run) => RunSummary.parse(run));
  }

  get(runId: string): RunSummary | null {
    const run = this.#runs.listed(runId);
    return run ? RunSummary.parse(run) : null;
  }

  /** The re-runs made of an import, oldest first. */
  reruns(runId: string): RunSummary[] {
    return this.#runs.reruns(runId).map((run) => RunSummary.parse(run));
  }
}
