/**
 * Messages → batches (decision 4): at most 100 messages and at most 512 KiB of JSON per request, in order.
 * A batch's body is exactly `[` + its messages' JSON joined by commas + `]`, the bytes preview shows and the
 * sender sends.
 */
export const MAX_MESSAGES = 100;
export const MAX_BYTES = 512 * 1024;

/** A batch as it is sent and journaled. */
export interface Batch {
  /** Stable id of the batch, or of the part of a batch after bisection (`3`, `3.1`, `3.1.2`). */
  id: string;
  /** Each message's exact JSON, as the batch builder wrote it: the request body is these, in an array. */
  messages: readonly string[];
  /** Message type of each message, for blocked types. */
  types: readonly string[];
}

/** What came of a batch (or of one message of it, after bisection). */
export type Outcome =
  | { kind: 'accepted'; status: number }
  /** Refused for good: a single message Vitally rejects (after bisection), with Vitally's reason. */
  | { kind: 'rejected'; status: number; reason: string };

export interface Batchable {
  json: string;
  bytes: number;
}

export interface BatchLimits {
  maxMessages: number;
  maxBytes: number;
}

const LIMITS: BatchLimits = { maxMessages: MAX_MESSAGES, maxBytes: MAX_BYTES };

/** A batch being filled: how many messages it holds and the bytes of its body so far (brackets and commas in). */
export interface OpenBatch {
  messages: number;
  bytes: number;
}

/** An empty batch: `[]`. */
export const emptyBatch = (): OpenBatch => ({ messages: 0, bytes: 2 });

/**
 * The one rule that decides where a batch ends, used by Preview's count and the sender's batches alike: whether a
 * message of `bytes` still fits in `batch`.
 */
export function fits(batch: OpenBatch, bytes: number, limits: BatchLimits = LIMITS): boolean {
  return batch.messages < limits.maxMessages && bodyBytesWith(batch, bytes) <= limits.maxBytes;
}

/** The batch's body size once a message of `bytes` is added (a comma before every message but the first). */
export function bodyBytesWith(batch: OpenBatch, bytes: number): number {
  return batch.bytes + bytes + (batch.messages > 0 ? 1 : 0);
}

/** Groups messages into batches; a message larger than a batch may be is refused (the validator reports it). */
export function toBatches<M extends Batchable>(messages: Iterable<M>, limits: BatchLimits = LIMITS): M[][] {
  return [...batchStream(messages, limits)];
}

/** The same batches as `toBatches`, one at a time, so a million messages are never all in memory. */
export function* batchStream<M extends Batchable>(messages: Iterable<M>, limits: BatchLimits = LIMITS): Generator<M[]> {
  let current: M[] = [];
  let open = emptyBatch();
  for (const message of messages) {
    if (!fits(emptyBatch(), message.bytes, limits))
      throw new RangeError(`A message of ${message.bytes} bytes cannot fit in a batch.`);
    if (!fits(open, message.bytes, limits)) {
      yield current;
      current = [];
      open = emptyBatch();
    }
    open = { messages: open.messages + 1, bytes: bodyBytesWith(open, message.bytes) };
    current.push(message);
  }
  if (current.length > 0) yield current;
}

export function batchBody(messages: readonly Batchable[]): string {
  return `[${messages.map((message) => message.json).join(',')}]`;
}
