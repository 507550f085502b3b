/**
 * The tests' check of a whole batch body as Vitally receives it: an array of 1–100 typed messages, each complete by
 * the app's message rules (`missingFields`), each with a messageId or a timestamp.
 */
import { MESSAGE_TYPES, type MessageType } from '../../app/map/mapping.ts';
import { missingFields, missingFieldText } from '../../app/messages/required-fields.ts';

const present = (message: Record<string, unknown>, field: string) => {
  const value = message[field];
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
};
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Problems of a batch body, as sentences; empty when Vitally would take it. */
export function validateBatch(batch: unknown): string[] {
  if (!Array.isArray(batch)) return ['A batch must be a JSON array of messages.'];
  if (batch.length < 1 || batch.length > 100) return [`A batch must hold 1 to 100 messages, not ${batch.length}.`];
  return batch.flatMap((element, index) => {
    if (!isObject(element)) return [`Message ${index + 1} is not an object.`];
    const message = element as Record<string, unknown>;
    const type = message.type;
    if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
      return [`Message ${index + 1} has no valid type.`];
    }
    const problems = missingFields(type as MessageType, message).map(
      (m) => `Message ${index + 1} ${missingFieldText(type as MessageType, m, { blank: false })}.`,
    );
    if (!present(message, 'messageId') && !present(message, 'timestamp')) {
      problems.push(`Message ${index + 1} needs a messageId or a timestamp.`);
    }
    return problems;
  });
}
