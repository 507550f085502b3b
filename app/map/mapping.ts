/**
 * A mapping: what each row of a spreadsheet becomes in Vitally. It is plain JSON — saved with a run, kept as a
 * template, exported and imported — so its schema is checked wherever one comes in.
 */
import { z } from 'zod';

export const MESSAGE_TYPES = ['organization', 'account', 'user', 'track', 'customobjectinstance', 'unlink'] as const;
export const MessageType = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof MessageType>;

/** Fields of a message that are not traits, by message type; `traits` hold the rest (`properties` for track). */
export const IDENTITY_FIELDS = [
  'userId',
  'accountId',
  'organizationId',
  'event',
  'externalId',
  'customObjectId',
  'name',
  'timestamp',
  'messageId',
] as const;
export const IdentityField = z.enum(IDENTITY_FIELDS);
export type IdentityField = z.infer<typeof IdentityField>;

/**
 * The identity fields that are IDs: an ID Excel turned into a rounded number is an error, and a column sent as one
 * is a trait only when the user says so.
 */
export const ID_FIELDS: readonly IdentityField[] = [
  'userId',
  'accountId',
  'organizationId',
  'externalId',
  'customObjectId',
  'messageId',
];

/** Which identity fields each type takes (the API reference, §3). */
export const FIELDS_BY_TYPE: Record<MessageType, readonly IdentityField[]> = {
  organization: ['organizationId', 'timestamp', 'messageId'],
  account: ['accountId', 'organizationId', 'timestamp', 'messageId'],
  user: ['userId', 'accountId', 'organizationId', 'timestamp', 'messageId'],
  track: ['event', 'userId', 'accountId', 'organizationId', 'timestamp', 'messageId'],
  customobjectinstance: [
    'externalId',
    'customObjectId',
    'name',
    'accountId',
    'organizationId',
    'timestamp',
    'messageId',
  ],
  unlink: ['userId', 'accountId', 'timestamp', 'messageId'],
};

/** A field's value: a column of the sheet (by its unique name), or the same text for every row. */
export const FieldSource = z.union([
  z.object({ column: z.string().min(1) }).strict(),
  z.object({ constant: z.string() }).strict(),
]);
export type FieldSource = z.infer<typeof FieldSource>;

export const TRAIT_TYPES = ['text', 'number', 'integer', 'boolean', 'date', 'datetime', 'multiselect', 'json'] as const;
export const TraitType = z.enum(TRAIT_TYPES);
export type TraitType = z.infer<typeof TraitType>;

export const DateOrder = z.enum(['YMD', 'MDY', 'DMY']);
export type DateOrder = z.infer<typeof DateOrder>;

/** How several columns feeding one trait of a message are combined: the first filled, or all filled joined. */
export const COMBINE_RULES = ['first-filled', 'join'] as const;
export type CombineRule = (typeof COMBINE_RULES)[number];

/** What a `join` puts between the values when the mapping does not say. */
export const DEFAULT_JOIN = ' ';

export const TraitMapping = z
  .object({
    column: z.string().min(1),
    /** The trait's key in Vitally (`vitally.custom.*` for custom traits). */
    key: z.string(),
    type: TraitType,
    /** A blank cell: left out of the message (the default), or sent as null, which clears the trait. */
    blank: z.enum(['omit', 'null']).default('omit'),
    /**
     * How to read dates like 05/06/2024 (day first: 5 June; month first: May 6). Unset, only dates that can be
     * read one way are read (2024-06-05, 28/10/2022, 10/28/2022); the others are errors that name both readings.
     */
    dateOrder: DateOrder.optional(),
    decimal: z.enum(['.', ',']).default('.'),
    /** Multi-select: a separator to split on; unset means a JSON array such as ["a","b"]. */
    separator: z.string().min(1).max(5).optional(),
    /**
     * When several columns feed this trait of one message: `first-filled` on each of them sends the first of their
     * cells (in the mapping's order) that is not blank; `join` on each of them sends their filled cells, trimmed,
     * joined by `joinWith` (First Name + Last Name → `name`), as text. Without it, or with different rules on the
     * columns of one trait, two columns for one trait is a mapping error.
     */
    combine: z.enum(COMBINE_RULES).optional(),
    /** With `combine: "join"`: what is put between the joined values (a space when unset). */
    joinWith: z.string().max(10).optional(),
  })
  .strict();
export type TraitMapping = z.infer<typeof TraitMapping>;

export const MessageMapping = z
  .object({
    type: MessageType,
    fields: z.partialRecord(IdentityField, FieldSource),
    traits: z.array(TraitMapping),
  })
  .strict();
export type MessageMapping = z.infer<typeof MessageMapping>;

export const Mapping = z
  .object({
    version: z.literal(1),
    /** The messages each row becomes, in the order they are sent (an account before its users). */
    messages: z.array(MessageMapping).min(1).max(6),
    /** When the same entity appears on several rows with different traits. */
    conflicts: z.enum(['first', 'last', 'flag']).default('flag'),
    /**
     * A column that names each row's message type (“account”, “user”, “event”…): a row then makes only the
     * messages of its type. Unset, every row makes every message.
     */
    typeColumn: z.string().min(1).optional(),
    /**
     * The time zone (IANA name, such as `Europe/Berlin`, or `UTC`) of date-times written without one
     * (`2024-03-05 09:30`). Unset, the computer's own zone.
     */
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'is not a time zone').optional(),
  })
  .strict();
export type Mapping = z.infer<typeof Mapping>;

/** The text two mappings are compared by: as the schema reads them, so key order and defaults do not matter. */
export function mappingKey(mapping: Mapping): string {
  return JSON.stringify(Mapping.parse(mapping));
}

/** Whether `name` is a time zone this computer knows (`UTC`, `Europe/Berlin`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

let localZone: string | undefined;

/**
 * The computer's own time zone: what date-times without a zone are read in when the mapping names none. Found
 * once per process (every row is built with it, and asking Intl costs more than building a row).
 */
export function localTimeZone(): string {
  localZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return localZone;
}

/** Each identity field in words, as a sentence's middle ("a user ID"). */
export const FIELD_LABELS: Record<IdentityField, string> = {
  userId: 'user ID',
  accountId: 'account ID',
  organizationId: 'organization ID',
  event: 'event name',
  externalId: 'external ID',
  customObjectId: 'custom object ID',
  name: 'name',
  timestamp: 'timestamp',
  messageId: 'message ID',
};

export const TYPE_LABELS: Record<MessageType, string> = {
  organization: 'Organization',
  account: 'Account',
  user: 'User',
  track: 'Event (track)',
  customobjectinstance: 'Custom object',
  unlink: 'Unlink user from account',
};

/** Each type in a sentence's words ("an event"), and what a type column may say for it. */
export const TYPE_WORDS: Record<MessageType, string> = {
  organization: 'organization',
  account: 'account',
  user: 'user',
  track: 'event',
  customobjectinstance: 'custom object',
  unlink: 'unlink',
};

/**
 * What each type must have (the API reference, §3): every `required` field, and one of each `oneOf` group, with
 * how a message lacking the group is described. The Map step, its gaps, and the validator all read this table.
 */
export const MESSAGE_RULES: Record<
  MessageType,
  { required: readonly IdentityField[]; oneOf: readonly { fields: readonly IdentityField[]; lacks: string }[] }
> = {
  organization: { required: ['organizationId'], oneOf: [] },
  account: { required: ['accountId'], oneOf: [] },
  user: {
    required: ['userId'],
    oneOf: [{ fields: ['accountId', 'organizationId'], lacks: 'an account ID or an organization ID to belong to' }],
  },
  track: {
    required: ['event'],
    oneOf: [
      { fields: ['userId', 'accountId', 'organizationId'], lacks: 'a user, account or organization ID to belong to' },
    ],
  },
  customobjectinstance: {
    required: ['externalId', 'customObjectId'],
    oneOf: [{ fields: ['accountId', 'organizationId'], lacks: 'an account ID or an organization ID to belong to' }],
  },
  unlink: { required: ['userId', 'accountId'], oneOf: [] },
};

/** A field's words with their article: “a user ID”, “an account ID”, “an event name”. */
export function withArticle(words: string): string {
  // By sound: “user” begins with a consonant sound (“you”), “account”, “organization”, “event” and “external” not.
  return `${/^[aeio]/i.test(words) ? 'an' : 'a'} ${words}`;
}

/** What a mapping still lacks before rows can become messages, in plain words; empty when it is complete. */
export function mappingGaps(mapping: Mapping): string[] {
  const gaps: string[] = [];
  for (const message of mapping.messages) {
    const label = TYPE_LABELS[message.type];
    const has = (field: IdentityField) => message.fields[field] !== undefined;
    const rules = MESSAGE_RULES[message.type];
    for (const field of rules.required) {
      if (!has(field)) gaps.push(`${label} messages need ${withArticle(FIELD_LABELS[field])}.`);
    }
    for (const { fields } of rules.oneOf) {
      if (!fields.some(has))
        gaps.push(`${label} messages need ${fields.map((f) => withArticle(FIELD_LABELS[f])).join(' or ')}.`);
    }
    for (const trait of message.traits) {
      if (trait.key.trim() === '') gaps.push(`The column “${trait.column}” needs a trait name.`);
    }
  }
  return gaps;
}

/** What a type column's cell may say for each message type, compared without case, spaces or punctuation. */
const TYPE_NAMES: Record<string, MessageType> = {
  organization: 'organization',
  organisation: 'organization',
  org: 'organization',
  account: 'account',
  company: 'account',
  user: 'user',
  contact: 'user',
  person: 'user',
  track: 'track',
  event: 'track',
  customobject: 'customobjectinstance',
  customobjectinstance: 'customobjectinstance',
  unlink: 'unlink',
};

/** The message type a type column's cell names, or null. */
export function typeNamed(cell: string): MessageType | null {
  return TYPE_NAMES[cell.toLowerCase().replace(/[^a-z]/g, '')] ?? null;
}
