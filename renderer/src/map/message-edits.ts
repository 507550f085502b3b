/** What the Map step's message list changes in a mapping: pure, one function per change. */
import type { Mapping } from '../../../app/contract.ts';
import { FIELDS_BY_TYPE, TYPE_LABELS, type FieldSource, type IdentityField, type MessageType } from './labels.ts';

/** The mapping with a message's field taken from `source`, or from nothing. */
export function withField(
  mapping: Mapping,
  index: number,
  field: IdentityField,
  source: FieldSource | undefined,
): Mapping {
  return {
    ...mapping,
    messages: mapping.messages.map((message, i) => {
      if (i !== index) return message;
      const fields = { ...message.fields };
      if (source) fields[field] = source;
      else delete fields[field];
      return { ...message, fields };
    }),
  };
}

export function withMessage(mapping: Mapping, type: MessageType): Mapping {
  return { ...mapping, messages: [...mapping.messages, { type, fields: {}, traits: [] }] };
}

/**
 * The mapping without a message. Its traits are not lost when the messages left have none yet (a type added to
 * replace it): they go to the last of those that carries traits.
 */
export function withoutMessage(mapping: Mapping, index: number): Mapping {
  const removed = mapping.messages[index];
  const messages = mapping.messages.filter((_, i) => i !== index);
  const heir = messages.findLastIndex((message) => message.type !== 'unlink');
  if (removed && heir !== -1 && messages.every((message) => message.traits.length === 0))
    return {
      ...mapping,
      messages: messages.map((message, i) => (i === heir ? { ...message, traits: removed.traits } : message)),
    };
  return { ...mapping, messages };
}

/** What removing a message loses, in words: its traits, when no message left takes them over; null when nothing. */
export function removalLoss(mapping: Mapping, index: number): string | null {
  const removed = mapping.messages[index];
  const heirs = mapping.messages.filter((_, i) => i !== index);
  const handedOn = heirs.some((m) => m.type !== 'unlink') && heirs.every((m) => m.traits.length === 0);
  if (!removed || removed.traits.length === 0 || handedOn) return null;
  // Columns joined into one trait are one trait.
  const names = [...new Set(removed.traits.map((trait) => trait.key))];
  const count = names.length === 1 ? 'its trait' : `its ${names.length} traits`;
  return `Removed the ${TYPE_LABELS[removed.type]} message and ${count} (${names.join(', ')}): they will not be sent.`;
}

/** The mapping with a message made another type, keeping its traits and every field the new type takes. */
export function withType(mapping: Mapping, index: number, type: MessageType): Mapping {
  return {
    ...mapping,
    messages: mapping.messages.map((message, i) => {
      if (i !== index) return message;
      const fields = Object.fromEntries(
        Object.entries(message.fields).filter(([field]) => FIELDS_BY_TYPE[type].includes(field as IdentityField)),
      );
      // An unlink carries no traits: they stay on the message until it is another type again.
      return { ...message, type, fields };
    }),
  };
}

/** The mapping with each row's type named by `column` (then a trait of nothing), or every row making every message. */
export function withTypeColumn(mapping: Mapping, column: string): Mapping {
  const rest = { ...mapping };
  delete rest.typeColumn;
  if (!column) return rest;
  const messages = mapping.messages.map((message) => ({
    ...message,
    traits: message.traits.filter((trait) => trait.column !== column),
  }));
  return { ...rest, messages, typeColumn: column };
}
