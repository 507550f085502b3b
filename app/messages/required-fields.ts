/**
 * The message rules of each type (API reference §3, §7): required fields and the either/or rules, in words a
 * CS manager understands. Used by the builder for every message it makes (and by the tests' batch check,
 * `test/support/validate-batch.ts`).
 */
import { FIELD_LABELS, MESSAGE_RULES, type MessageType } from '../map/mapping.ts';

const present = (message: Record<string, unknown>, field: string) => {
  const value = message[field];
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
};
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

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
