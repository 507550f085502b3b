/**
 * The message rules of each type (API reference §3, §7): required fields and the either/or rules, in words a
 * CS manager understands. Used by the builder for every message it makes, and on any batch JSON (such as the
 * documentation's example) by `validateBatch`.
 */
import { FIELD_LABELS, MESSAGE_RULES, MESSAGE_TYPES, type MessageType } from '../map/mapping.ts';

const present = (message: Record<string, unknown>, field: string) => {
  const value = message[field];
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
};
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a message of `type` lacks, as sentences; empty when it is complete. */
export function validateMessage(type: MessageType, message: Record<string, unknown>): string[] {
  return missingFields(type, message).map((missing) => missing.text);
}

export interface MissingField {
  /** The fields that would satisfy the rule. */
  fields: string[];
  text: string;
  /** The same, said of the empty cell mapped to the first of `fields`. */
  blank: string;
}

/** What a message of `type` lacks: each rule broken, with the fields that would satisfy it. */
export function missingFields(type: MessageType, message: Record<string, unknown>): MissingField[] {
  const missing: MissingField[] = [];
  const rules = MESSAGE_RULES[type];
  for (const field of rules.required) {
    if (present(message, field)) continue;
    const label = FIELD_LABELS[field];
    const article = /^[aeio]/.test(label) ? 'an' : 'a'; // “a user ID”: u sounds as “you”
    missing.push({
      fields: [field],
      text: `has no ${label}, which every ${type} message needs`,
      blank: `is empty, and every ${type} message needs ${article} ${label}`,
    });
  }
  for (const { fields, lacks } of rules.oneOf) {
    if (fields.some((field) => present(message, field))) continue;
    missing.push({
      fields: [...fields],
      text: `needs ${lacks}`,
      blank: `is empty, and the ${type} message needs ${lacks}`,
    });
  }
  if (type === 'track' && 'properties' in message && !isObject(message.properties))
    missing.push({ fields: [], text: 'has properties that are not an object', blank: '' });
  if ('traits' in message && !isObject(message.traits))
    missing.push({ fields: [], text: 'has traits that are not an object', blank: '' });
  return missing;
}

/** Problems of a whole batch body as Vitally receives it: an array of 1–100 typed messages. */
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
    const problems = validateMessage(type as MessageType, message).map((text) => `Message ${index + 1} ${text}.`);
    if (!present(message, 'messageId') && !present(message, 'timestamp')) {
      problems.push(`Message ${index + 1} needs a messageId or a timestamp.`);
    }
    return problems;
  });
}
