/**
 * The message rules of each type (API reference §3, §7): required fields and the either/or rules, in words a
 * CS manager understands. Used by the builder for every message it makes (and by the tests' batch check,
 * `test/support/validate-batch.ts`).
 */
import { z } from 'zod';
import { FIELD_LABELS, IdentityField, MESSAGE_RULES, type MessageType } from '../map/mapping.ts';

const present = (message: Record<string, unknown>, field: string) => {
  const value = message[field];
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
};
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A rule a message breaks: a `required` field it lacks, a `one-of` group it has none of, or traits (properties)
 * that are not an object; with the fields that would satisfy it.
 */
export const MissingField = z.object({
  rule: z.enum(['required', 'one-of', 'properties-not-object', 'traits-not-object']),
  fields: z.array(IdentityField),
});
export type MissingField = z.infer<typeof MissingField>;

/** What a message of `type` lacks: each rule broken, with the fields that would satisfy it. */
export function missingFields(type: MessageType, message: Record<string, unknown>): MissingField[] {
  const missing: MissingField[] = [];
  const rules = MESSAGE_RULES[type];
  for (const field of rules.required) if (!present(message, field)) missing.push({ rule: 'required', fields: [field] });
  for (const { fields } of rules.oneOf) {
    if (!fields.some((field) => present(message, field))) missing.push({ rule: 'one-of', fields: [...fields] });
  }
  if (type === 'track' && 'properties' in message && !isObject(message.properties))
    missing.push({ rule: 'properties-not-object', fields: [] });
  if ('traits' in message && !isObject(message.traits)) missing.push({ rule: 'traits-not-object', fields: [] });
  return missing;
}

/**
 * A broken rule in words: of the message (“has no user ID, which every user message needs”), or, with `blank`,
 * of the empty cell mapped to the first of its fields (“is empty, and every user message needs a user ID”).
 */
export function missingFieldText(type: MessageType, missing: MissingField, { blank }: { blank: boolean }): string {
  switch (missing.rule) {
    case 'required': {
      const field = missing.fields[0];
      const label = field === undefined ? 'field' : FIELD_LABELS[field];
      const article = /^[aeio]/.test(label) ? 'an' : 'a'; // “a user ID”: u sounds as “you”
      return blank
        ? `is empty, and every ${type} message needs ${article} ${label}`
        : `has no ${label}, which every ${type} message needs`;
    }
    case 'one-of': {
      const lacks = MESSAGE_RULES[type].oneOf.find((group) => group.fields.join() === missing.fields.join())?.lacks;
      return blank ? `is empty, and the ${type} message needs ${lacks ?? ''}` : `needs ${lacks ?? ''}`;
    }
    case 'properties-not-object':
      return 'has properties that are not an object';
    case 'traits-not-object':
      return 'has traits that are not an object';
  }
}
