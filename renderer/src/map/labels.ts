import {
  FIELD_LABELS,
  FIELDS_BY_TYPE,
  MESSAGE_RULES,
  type IdentityField,
  type MessageType,
  type TraitType,
} from '../../../app/contract.ts';

export type { FieldSource, IdentityField, MessageType, TraitMapping } from '../../../app/contract.ts';

export { FIELDS_BY_TYPE, ID_FIELDS, TYPE_LABELS } from '../../../app/contract.ts';

/** Each identity field in words (“account ID”). */
export const FIELD_WORDS: Partial<Record<IdentityField, string>> = FIELD_LABELS;

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Each type's identity fields, in the engine's order, with whether the type cannot do without them. */
export const FIELDS = Object.fromEntries(
  (Object.keys(FIELDS_BY_TYPE) as MessageType[]).map((type) => [
    type,
    FIELDS_BY_TYPE[type]
      .filter((field) => field !== 'timestamp' && field !== 'messageId')
      .map((field) => ({
        field,
        label: capital(FIELD_LABELS[field]),
        required: MESSAGE_RULES[type].required.includes(field),
      })),
  ]),
) as Record<MessageType, { field: IdentityField; label: string; required: boolean }[]>;

export const COMMON_FIELDS: { field: IdentityField; label: string }[] = [
  { field: 'timestamp', label: capital(FIELD_LABELS.timestamp) },
  { field: 'messageId', label: capital(FIELD_LABELS.messageId) },
];

export const TRAIT_TYPE_LABELS: Record<TraitType, string> = {
  text: 'Text',
  number: 'Number',
  integer: 'Whole number',
  boolean: 'True/false',
  date: 'Date',
  datetime: 'Date and time',
  multiselect: 'Multi-select',
  json: 'JSON',
};

/** Vitally's special traits, explained where they are chosen. */
export const RESERVED_TRAITS: Record<string, string> = {
  name: 'Shown as the name in Vitally.',
  email: 'Shown as the user’s email in Vitally.',
  avatar: 'An image address shown as the avatar.',
  createdAt: 'The user’s join date in Vitally (also used for NPS surveys).',
};
