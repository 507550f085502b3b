/**
 * Messages → batches (decision 4): at most 100 messages and at most 512 KiB of JSON per request, in order.
 * A batch's body is exactly `[` + its messages' JSON joined by commas + `]`, the bytes preview shows and the
 * sender sends.
 */
export const MAX_MESSAGES = 100;
export const MAX_BYTES = 512 * 1024;

export interface Batchable {
  json: string;
  bytes: number;
}

/** Groups messages into batches; a message larger than a batch may be is refused (the validator reports it). */
export function toBatches<M extends Batchable>(
  messages: Iterable<M>,
  limits = { maxMessages: MAX_MESSAGES, maxBytes: MAX_BYTES },
): M[][] {
  return [...batchStream(messages, limits)];
}

/** The same batches as `toBatches`, one at a time, so a million messages are never all in memory. */
export function* batchStream<M extends Batchable>(
  messages: Iterable<M>,
  limits = { maxMessages: MAX_MESSAGES, maxBytes: MAX_BYTES },
): Generator<M[]> {
  let current: M[] = [];
  let size = 2; // The brackets.
  for (const message of messages) {
    if (message.bytes + 2 > limits.maxBytes)
      throw new RangeError(`A message of ${message.bytes} bytes cannot fit in a batch.`);
    if (
      current.length === limits.maxMessages ||
      size + message.bytes + (current.length > 0 ? 1 : 0) > limits.maxBytes
    ) {
      yield current;
      current = [];
      size = 2;
    }
    size += message.bytes + (current.length > 0 ? 1 : 0);
    current.push(message);
  }
  if (current.length > 0) yield current;
}

export function batchBody(messages: readonly Batchable[]): string {
  return `[${messages.map((message) => message.json).join(',')}]`;
}
