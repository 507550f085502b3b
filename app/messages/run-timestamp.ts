/**
 * A file's default timestamp (decision 6): the time given to every message whose row has no time of its own. It is
 * fixed the first time the file's rows are built — the Map step's sample or the Preview's first check, whichever
 * comes first — and kept from then on, across re-checks, corrections, trial and full sends and re-runs, so a
 * message's id (made from what it says and its time) changes only when its own content does.
 */
import type { Database } from '../journal/database.ts';
import { storeRunTimestamp, keptRunTimestamp } from '../journal/previews.ts';

/** The file's default timestamp, fixed now (to the second) if it has none yet. */
export function fileRunTimestamp(db: Database, fileId: string, now = Date.now()): string {
  const kept = keptRunTimestamp(db, fileId);
  if (kept !== undefined) return kept;
  // A preview row with no check yet (state `none`) holds it until the first check.
  const runTimestamp = new Date(Math.floor(now / 1000) * 1000).toISOString();
  storeRunTimestamp(db, fileId, { createdAt: new Date(now).toISOString(), runTimestamp, replace: false });
  return keptRunTimestamp(db, fileId) ?? runTimestamp;
}
