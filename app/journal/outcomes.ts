/**
 * What became of each message of a run, read from the journal: the summary per message type, the messages Vitally
 * refused (or whose outcome is unknown) by spreadsheet row, and what a re-run needs to know — which rows failed,
 * and which messages were accepted and must never be sent again.
 */
import type { Database } from './database.ts';

/** What became of one message: `left-out` when another run of the same file had already delivered it. */
export type MessageOutcome = 'accepted' | 'rejected' | 'unknown' | 'not-sent' | 'left-out';

export interface RunMessage {
  rowNumber: number;
  type: string;
  outcome: MessageOutcome;
  /** The message exactly as it was (or would be) sent. */
  json: string;
  messageId: string;
  batchId: string;
  /** Vitally's HTTP status and, for a refusal, its reason. */
  status: number | null;
  reason: string | null;
  sentAt: string | null;
  answeredAt: string | null;
  sends: number;
}

export interface TypeCounts {
  accepted: number;
  rejected: number;
  unknown: number;
  notSent: number;
  /** Delivered by an earlier run of the same file, so not sent again. */
  leftOut: number;
}

const BATCH_OUTCOME: Record<string, MessageOutcome | null> = {
  accepted: 'accepted',
  rejected: 'rejected',
  unknown: 'unknown',
  sending: 'unknown',
  planned: 'not-sent',
  delivered: 'left-out',
  // A batch split after a 400 is replaced by its parts.
  split: null,
};

/** Which batch states each outcome filter reads, so that a filter reads only the batches it needs. */
const STATES_OF: Record<MessageOutcome, readonly string[]> = {
  accepted: ['accepted'],
  rejected: ['rejected'],
  unknown: ['unknown', 'sending'],
  'not-sent': ['planned'],
  'left-out': ['delivered'],
};

interface BatchRow {
  id: string;
  messages: string;
  types: string;
  source_rows: string;
  state: string;
  status: number | null;
  reason: string | null;
  sent_at: string | null;
  answered_at: string | null;
  sends: number;
}

/** The run's messages in the order they were sent, with their outcomes; only those of `outcomes` when given. */
export function* runMessages(db: Database, runId: string, outcomes?: readonly MessageOutcome[]): Generator<RunMessage> {
  const states = outcomes ? [...new Set(outcomes.flatMap((o) => STATES_OF[o]))] : null;
  const where = states ? `AND state IN (${states.map(() => '?').join(', ')})` : "AND state <> 'split'";
  const rows = db
    .prepare(
      `SELECT id, messages, types, source_rows, state, status, reason, sent_at, answered_at, sends
         FROM run_batches WHERE run_id = ? ${where} ORDER BY seq`,
    )
    .iterate(runId, ...(states ?? [])) as Iterable<BatchRow>;
  for (const batch of rows) {
    const outcome = BATCH_OUTCOME[batch.state] ?? null;
    if (outcome === null) continue;
    const messages = JSON.parse(batch.messages) as string[];
    const types = JSON.parse(batch.types) as string[];
    const sourceRows = JSON.parse(batch.source_rows) as number[];
    for (const [index, json] of messages.entries()) {
      yield {
        rowNumber: sourceRows[index] ?? 0,
        type: types[index] ?? '',
        outcome,
        json,
        messageId: messageIdOf(json),
        batchId: batch.id,
        status: batch.status,
        reason: batch.reason,
        sentAt: batch.sent_at,
        answeredAt: batch.answered_at,
        sends: batch.sends,
      };
    }
  }
}

/** The spreadsheet rows of the messages a run failed to send (refused, and unknown when asked), in order. */
export function failedRowNumbers(db: Database, runId: string, includeUnknown = true): number[] {
  const rows = new Set<number>();
  for (const m of runMessages(db, runId, includeUnknown ? ['rejected', 'unknown'] : ['rejected']))
    rows.add(m.rowNumber);
  return [...rows].sort((a, b) => a - b);
}

/**
 * How many messages of each type were accepted, refused, are unknown, were not sent, or were left out: read from the
 * counts the database keeps with each change of a batch (`run_type_counts`), never from the batches' JSON.
 */
export function countsByType(db: Database, runId: string): Record<string, TypeCounts> {
  const rows = db
    .prepare('SELECT state, type, messages FROM run_type_counts WHERE run_id = ? AND messages > 0')
    .all(runId) as { state: string; type: string; messages: number }[];
  return byTypeOf(db, runId, rows);
}

/** The same counts found the slow way, from every batch's list of types: what the kept counts must always equal. */
export function recountByType(db: Database, runId: string): Record<string, TypeCounts> {
  const rows: { state: string; type: string; messages: number }[] = [];
  const batches = db.prepare('SELECT state, types FROM run_batches WHERE run_id = ?').iterate(runId) as Iterable<{
    state: string;
    types: string;
  }>;
  for (const { state, types } of batches) {
    for (const type of JSON.parse(types) as string[]) rows.push({ state, type, messages: 1 });
  }
  return byTypeOf(db, runId, rows);
}

const FIELD: Record<MessageOutcome, keyof TypeCounts> = {
  accepted: 'accepted',
  rejected: 'rejected',
  unknown: 'unknown',
  'not-sent': 'notSent',
  'left-out': 'leftOut',
};

function byTypeOf(
  db: Database,
  runId: string,
  rows: Iterable<{ state: string; type: string; messages: number }>,
): Record<string, TypeCounts> {
  const counts: Record<string, TypeCounts> = {};
  const of = (type: string) => (counts[type] ??= { accepted: 0, rejected: 0, unknown: 0, notSent: 0, leftOut: 0 });
  for (const { state, type, messages } of rows) {
    const outcome = BATCH_OUTCOME[state];
    // Messages left out are counted by the run, below (a batch emptied of them keeps them only for History).
    if (!outcome || outcome === 'left-out') continue;
    of(type)[FIELD[outcome]] += messages;
  }
  const run = db.prepare('SELECT left_out FROM runs WHERE id = ?').get(runId) as { left_out: string } | undefined;
  // Messages left out, when the run was made or resumed, are counted by type in the run.
  for (const [type, n] of Object.entries(JSON.parse(run?.left_out ?? '{}') as Record<string, number>)) {
    of(type).leftOut = n;
  }
  return counts;
}

/** The messageId inside a message's JSON ('' when it has none). */
export function messageIdOf(json: string): string {
  const id = (JSON.parse(json) as { messageId?: unknown }).messageId;
  return typeof id === 'string' ? id : '';
}

/** The fields that say which thing a message is about, for each type. */
const IDENTITY: Record<string, readonly string[]> = {
  organization: ['organizationId'],
  account: ['accountId'],
  user: ['userId'],
  track: ['event', 'userId', 'accountId', 'organizationId'],
  customobjectinstance: ['customObjectId', 'externalId'],
  unlink: ['userId', 'accountId'],
};

/**
 * Which thing a message is about — its type and ids (`user|userId=U7`) — so that a row of a corrected file can be
 * matched to the message an earlier run sent for it, whatever else about it changed.
 */
export function identityOf(type: string, json: string): string {
  const message = JSON.parse(json) as Record<string, unknown>;
  const parts = (IDENTITY[type] ?? []).map((field) => {
    const value = message[field];
    return `${field}=${typeof value === 'string' || typeof value === 'number' ? String(value) : ''}`;
  });
  return [type, ...parts].join('|');
}

/** The fields of a message that name things in Vitally (whatever its type): its IDs. */
const ID_FIELDS = ['userId', 'accountId', 'organizationId', 'customObjectId', 'externalId'] as const;

/**
 * The IDs a message carries, as `field=value` joined by `|` (`userId=0042|accountId=00017`): what a corrected file's
 * row must still carry to be the failed row its `Row` cell names.
 */
export function idsOf(json: string): string {
  const message = JSON.parse(json) as Record<string, unknown>;
  return ID_FIELDS.flatMap((field) => {
    const value = message[field];
    return typeof value === 'string' || typeof value === 'number' ? [`${field}=${String(value)}`] : [];
  }).join('|');
}

/** One failed message of a row: what it is about (`identityOf`), its IDs (`idsOf`) and its messageId. */
export interface FailedMessage {
  identity: string;
  ids: string;
  messageId: string;
}

/** What a re-run of a run's failed rows needs to know about that run. */
export interface RerunBasis {
  /** `row|type` of each message that failed (refused, and unknown when asked for), in the run's row numbers. */
  failedRows: Set<string>;
  /** The identity (`identityOf`) of each message that failed. */
  failedIdentities: Set<string>;
  /** `row|identity` of each message the run accepted. */
  acceptedRows: Set<string>;
  /** The messageIds the run accepted, and those its later re-runs accepted. */
  acceptedIds: Set<string>;
  /** The identity of each message the run accepted (a corrected file's copy of one is not sent, whatever its Row). */
  acceptedIdentities: Set<string>;
  /**
   * The identity of each message a later re-run of this run (or of one of its re-runs) accepted: a failed message
   * a re-run has since delivered is failed no more. Rows of the run's own file that a re-run delivered are also
   * in `acceptedRows`, by their row numbers.
   */
  laterIdentities: Set<string>;
  /** On how many rows each failed identity failed (a later re-run's delivery is matched by ID only when once). */
  failedIdentityRows: Map<string, number>;
  /**
   * Each failed message by its `row|type`: its IDs and messageId, so that a corrected file's row naming that row
   * but carrying other IDs is told apart, and an unchanged copy of it from a fixed one.
   */
  failedRowMessages: Map<string, FailedMessage[]>;
  /** How many messages failed, and on how many rows. */
  failedMessages: number;
  failedRowNumbers: number[];
}

/** A basis that knows of no message yet. */
export function emptyRerunBasis(): RerunBasis {
  return {
    failedRows: new Set(),
    failedIdentities: new Set(),
    acceptedRows: new Set(),
    acceptedIds: new Set(),
    acceptedIdentities: new Set(),
    laterIdentities: new Set(),
    failedIdentityRows: new Map(),
    failedRowMessages: new Map(),
    failedMessages: 0,
    failedRowNumbers: [],
  };
}

export function rerunBasis(db: Database, runId: string, includeUnknown: boolean): RerunBasis {
  const basis = emptyRerunBasis();
  const rows = new Set<number>();
  const failedOn = new Map<string, Set<number>>();
  const wanted: MessageOutcome[] = includeUnknown ? ['rejected', 'unknown', 'accepted'] : ['rejected', 'accepted'];
  for (const message of runMessages(db, runId, wanted)) {
    const identity = identityOf(message.type, message.json);
    if (message.outcome === 'accepted') {
      basis.acceptedIds.add(message.messageId);
      basis.acceptedRows.add(`${message.rowNumber}|${identity}`);
      basis.acceptedIdentities.add(identity);
      continue;
    }
    const rowType = `${message.rowNumber}|${message.type}`;
    basis.failedRows.add(rowType);
    let ofRow = basis.failedRowMessages.get(rowType);
    if (!ofRow) basis.failedRowMessages.set(rowType, (ofRow = []));
    ofRow.push({ identity, ids: idsOf(message.json), messageId: message.messageId });
    basis.failedIdentities.add(identity);
    basis.failedMessages++;
    rows.add(message.rowNumber);
    let on = failedOn.get(identity);
    if (!on) failedOn.set(identity, (on = new Set()));
    on.add(message.rowNumber);
  }
  basis.failedRowNumbers = [...rows].sort((a, b) => a - b);
  for (const [identity, on] of failedOn) basis.failedIdentityRows.set(identity, on.size);
  // What the re-runs made since delivered: re-running this run again must not send it a second time.
  for (const later of laterReruns(db, runId)) {
    for (const message of runMessages(db, later.id, ['accepted'])) {
      const identity = identityOf(message.type, message.json);
      basis.acceptedIds.add(message.messageId);
      basis.laterIdentities.add(identity);
      // A re-run from this run's own file numbers its rows as this run does.
      if (later.sameFile) basis.acceptedRows.add(`${message.rowNumber}|${identity}`);
    }
  }
  return basis;
}

/** Every re-run made of a run, and of its re-runs, to the same address; whether each read the run's own file. */
function laterReruns(db: Database, runId: string): { id: string; sameFile: boolean }[] {
  const rows = db
    .prepare(
      `WITH RECURSIVE later(id) AS (
         SELECT id FROM runs WHERE parent_run_id = ?
         UNION SELECT r.id FROM runs r JOIN later l ON r.parent_run_id = l.id
       )
       SELECT r.id, r.file_id = p.file_id AS same_file
         FROM runs r JOIN later USING (id) JOIN runs p ON p.id = ?
        WHERE r.base_url = p.base_url`,
    )
    .all(runId, runId) as { id: string; same_file: number | null }[];
  return rows.map((row) => ({ id: row.id, sameFile: row.same_file === 1 }));
}
