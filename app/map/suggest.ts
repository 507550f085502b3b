/**
 * Suggestions for the Map step: what each column probably is, from its header (case, spacing and punctuation
 * ignored, with synonyms) and from its values (emails, dates, numbers, booleans, UUIDs, URLs), each with a
 * confidence and a reason the user can read before accepting it.
 */
import { FALSE_WORDS, TRUE_WORDS, isExcelScientific, parseValue } from '../build/values.ts';
import {
  FIELDS_BY_TYPE,
  MESSAGE_TYPES,
  typeNamed,
  type DateOrder,
  type IdentityField,
  type Mapping,
  type MessageMapping,
  type MessageType,
  type TraitMapping,
  type TraitType,
} from './mapping.ts';

export type SuggestionTarget =
  | { kind: 'field'; field: IdentityField }
  | { kind: 'trait'; key: string; type: TraitType; dateOrder?: DateOrder; decimal?: '.' | ',' };

export interface ColumnSuggestion {
  column: string;
  target: SuggestionTarget;
  /** 0–1: how sure the suggestion is. */
  confidence: number;
  reason: string;
}

/** Header synonyms, already normalised (lower case, letters and digits only). */
const FIELD_SYNONYMS: Record<string, IdentityField> = {
  accountid: 'accountId',
  accountexternalid: 'accountId',
  externalaccountid: 'accountId',
  companyid: 'accountId',
  customerid: 'accountId',
  accountnumber: 'accountId',
  sfdcaccountid: 'accountId',
  organizationid: 'organizationId',
  organisationid: 'organizationId',
  orgid: 'organizationId',
  organizationexternalid: 'organizationId',
  parentaccountid: 'organizationId',
  userid: 'userId',
  userexternalid: 'userId',
  externaluserid: 'userId',
  contactid: 'userId',
  memberid: 'userId',
  personid: 'userId',
  event: 'event',
  eventname: 'event',
  externalid: 'externalId',
  customobjectid: 'customObjectId',
  timestamp: 'timestamp',
  occurredat: 'timestamp',
  eventtime: 'timestamp',
  messageid: 'messageId',
};

const TRAIT_SYNONYMS: Record<string, { key: string; type: TraitType }> = {
  email: { key: 'email', type: 'text' },
  emailaddress: { key: 'email', type: 'text' },
  mail: { key: 'email', type: 'text' },
  name: { key: 'name', type: 'text' },
  fullname: { key: 'name', type: 'text' },
  contactname: { key: 'name', type: 'text' },
  accountname: { key: 'name', type: 'text' },
  companyname: { key: 'name', type: 'text' },
  company: { key: 'name', type: 'text' },
  organizationname: { key: 'name', type: 'text' },
  signupdate: { key: 'createdAt', type: 'date' },
  signedup: { key: 'createdAt', type: 'date' },
  createdat: { key: 'createdAt', type: 'datetime' },
  createddate: { key: 'createdAt', type: 'date' },
  joindate: { key: 'createdAt', type: 'date' },
  joined: { key: 'createdAt', type: 'date' },
  registrationdate: { key: 'createdAt', type: 'date' },
  avatar: { key: 'avatar', type: 'text' },
  avatarurl: { key: 'avatar', type: 'text' },
  photo: { key: 'avatar', type: 'text' },
  logo: { key: 'avatar', type: 'text' },
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Words a boolean column is written in; not 1/0 (whole numbers) nor x or ✓ (marks, too often something else). */
const BOOLEAN_WORDS = new Set([...TRUE_WORDS, ...FALSE_WORDS].filter((word) => !['1', '0', 'x', '✓'].includes(word)));
const YEARISH = /^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})(?:$|[ T])/;
/** A number as written with a decimal comma: `12,5`, `1.234,56`, `-3`. */
const DECIMAL_COMMA = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;
/** A comma that can only be a decimal comma: not followed by exactly three digits (`1,234` is a thousand). */
const commaIsDecimal = (value: string) => /,\d+$/.test(value) && (!/,\d{3}$/.test(value) || /\.\d{3},/.test(value));

/**
 * Dates read from the values: their type (with a time or not) and, when the values say so, the order of day and
 * month — day first when a first number is over 12 (28/10/2022) or the parts are dotted (05.06.2024, as written
 * where day first is the rule); month first when a second number is over 12 (10/28/2022).
 */
function dateSuggestion(
  sample: readonly string[],
): { target: { type: 'date' | 'datetime'; dateOrder?: DateOrder }; reason: string } | null {
  if (sample.length === 0) return null;
  const type = sample.filter((v) => /\d{1,2}:\d{2}/.test(v)).length / sample.length >= 0.95 ? 'datetime' : 'date';
  // A year of two or four digits: `1.2.3` is a version, not a date.
  const readable = (order: DateOrder | undefined) =>
    sample.filter((v) => YEARISH.test(v) && parseValue(v, { type, decimal: '.', dateOrder: order }).ok).length /
    sample.length;
  const byDay = readable('DMY');
  const byMonth = readable('MDY');
  if (byDay < 0.95 && byMonth < 0.95) return null;
  const what = type === 'datetime' ? 'dates with times' : 'dates';
  const dayOnly = sample.some(
    (v) =>
      parseValue(v, { type, decimal: '.', dateOrder: 'DMY' }).ok &&
      !parseValue(v, { type, decimal: '.', dateOrder: 'MDY' }).ok,
  );
  const monthOnly = sample.some(
    (v) =>
      parseValue(v, { type, decimal: '.', dateOrder: 'MDY' }).ok &&
      !parseValue(v, { type, decimal: '.', dateOrder: 'DMY' }).ok,
  );
  const dotted = sample.some((v) => /^\d{1,2}\.\d{1,2}\.\d{2,4}/.test(v));
  if (byDay >= 0.95 && !monthOnly && (dayOnly || dotted))
    return {
      target: { type, dateOrder: 'DMY' },
      reason: `Its values are ${what}, day first (${sample.find((v) => /^\d{1,2}[./-]/.test(v)) ?? sample[0]}).`,
    };
  if (byMonth >= 0.95 && !dayOnly && monthOnly)
    return {
      target: { type, dateOrder: 'MDY' },
      reason: `Its values are ${what}, month first (${sample.find((v) => /^\d{1,2}[./-]/.test(v)) ?? sample[0]}).`,
    };
  if (readable(undefined) >= 0.95) return { target: { type }, reason: `Its values are ${what}.` };
  return {
    target: { type },
    reason: `Its values are ${what}, but nothing says whether day or month comes first: choose the date order.`,
  };
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URL_TEXT = /^https?:\/\/\S+$/i;

export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * A trait key from a header: `Plan tier` → `planTier`; a header already written as a key (`opponentId`) or a custom
 * trait's own key (`vitally.custom.stage`) kept as it is.
 */
export function traitKey(header: string): string {
  if (/^vitally\.custom\.[A-Za-z0-9_]+$/.test(header.trim())) return header.trim();
  // Already a key: `opponentId`, `matchId`.
  if (/^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(header.trim())) return header.trim();
  const words = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0]?.toUpperCase() + word.slice(1).toLowerCase()))
    .join('');
}

/** What one column probably is, from its header and up to a few hundred of its values. */
export function suggestColumn(column: string, values: readonly string[]): ColumnSuggestion {
  const normalised = normaliseHeader(column);
  const field = FIELD_SYNONYMS[normalised];
  if (field)
    return {
      column,
      target: { kind: 'field', field },
      confidence: 0.95,
      reason: `The header “${column}” names the ${field}.`,
    };
  const trait = TRAIT_SYNONYMS[normalised];
  const sample = values.map((value) => value.trim()).filter((value) => value !== '');
  const share = (test: (value: string) => boolean) =>
    sample.length === 0 ? 0 : sample.filter(test).length / sample.length;
  if (trait) {
    // A date column named as one still says by its values which order its dates are in.
    const dates = trait.type === 'date' || trait.type === 'datetime' ? dateSuggestion(sample) : null;
    return {
      column,
      target: { kind: 'trait', ...trait, ...(dates?.target ?? {}) },
      confidence: 0.9,
      reason: `The header “${column}” is Vitally’s ${trait.key} trait.`,
    };
  }
  const key = traitKey(column) || 'value';
  if (sample.length === 0)
    return { column, target: { kind: 'trait', key, type: 'text' }, confidence: 0.3, reason: 'The column is empty.' };
  const dates = dateSuggestion(sample);
  if (dates) return { column, target: { kind: 'trait', key, ...dates.target }, confidence: 0.85, reason: dates.reason };
  const checks: [TraitType, (value: string) => boolean, string][] = [
    ['boolean', (v) => BOOLEAN_WORDS.has(v.toLowerCase()), 'true/false values'],
    ['integer', (v) => /^[+-]?\d{1,15}$/.test(v) && !/^0\d/.test(v), 'whole numbers'],
    // Leading zeros mean an identifier or a code, which must stay text.
    [
      'number',
      (v) => parseValue(v, { type: 'number', decimal: '.' }).ok && !isExcelScientific(v) && !/^[+-]?0\d/.test(v),
      'numbers',
    ],
    ['multiselect', (v) => v.startsWith('[') && parseValue(v, { type: 'multiselect', decimal: '.' }).ok, 'lists'],
  ];
  for (const [type, test, what] of checks) {
    const fraction = share(test);
    if (fraction >= 0.95) {
      return {
        column,
        target: { kind: 'trait', key, type },
        confidence: 0.6 + 0.3 * fraction,
        reason: `Its values are ${what}.`,
      };
    }
  }
  if (share((v) => DECIMAL_COMMA.test(v)) >= 0.95 && sample.some((v) => commaIsDecimal(v))) {
    return {
      column,
      target: { kind: 'trait', key, type: 'number', decimal: ',' },
      confidence: 0.8,
      reason: 'Its values are numbers written with a decimal comma (1.234,56).',
    };
  }
  if (share((v) => EMAIL.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key: 'email', type: 'text' },
      confidence: 0.8,
      reason: 'Its values are email addresses.',
    };
  }
  if (share((v) => UUID.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.5,
      reason: 'Its values are IDs (UUIDs); map it to an ID field if it is one.',
    };
  }
  if (share((v) => URL_TEXT.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.6,
      reason: 'Its values are web addresses.',
    };
  }
  return { column, target: { kind: 'trait', key, type: 'text' }, confidence: 0.5, reason: 'Its values are text.' };
}

/** A suggested trait as the mapping holds it. */
function traitOf(suggestion: ColumnSuggestion): TraitMapping | null {
  if (suggestion.target.kind !== 'trait') return null;
  const { key, type, dateOrder, decimal } = suggestion.target;
  return {
    column: suggestion.column,
    key,
    type,
    blank: 'omit',
    decimal: decimal ?? '.',
    ...(dateOrder ? { dateOrder } : {}),
  };
}

/**
 * Each trait of a message under its own key: a second column suggested for a key already taken (`Email (2)` beside
 * `Email`) gets its header's key (`email2`), so the default mapping never sends two columns to one trait.
 */
function distinctKeys(traits: readonly TraitMapping[]): TraitMapping[] {
  const taken = new Set<string>();
  return traits.map((trait) => {
    let key = trait.key;
    if (taken.has(key)) {
      const own = traitKey(trait.column) || 'value';
      key = own;
      for (let n = 2; taken.has(key); n++) key = `${own}${n}`;
    }
    taken.add(key);
    return key === trait.key ? trait : { ...trait, key };
  });
}

/**
 * A whole mapping from the suggestions: an account message when there is an account ID column, a user message
 * when there is a user ID column (after the account, so the account exists first), every other column a trait
 * of the most specific message. Track, unlink and custom objects are the user's choice, never guessed — unless a
 * column names each row's type (see `suggestTypedMapping`), given the columns' first values (`values`, by
 * column, row by row).
 */
export function suggestMapping(
  suggestions: readonly ColumnSuggestion[],
  values?: ReadonlyMap<string, readonly string[]>,
): Mapping {
  const typed = values ? suggestTypedMapping(suggestions, values) : null;
  if (typed) return typed;
  const fieldColumn = (field: IdentityField) =>
    suggestions.find((s) => s.target.kind === 'field' && s.target.field === field)?.column;
  const accountColumn = fieldColumn('accountId');
  const userColumn = fieldColumn('userId');
  const organizationColumn = fieldColumn('organizationId');
  const traits: TraitMapping[] = suggestions.flatMap((s) => traitOf(s) ?? []);
  const types: MessageType[] = [];
  if (organizationColumn && !accountColumn && !userColumn) types.push('organization');
  if (accountColumn) types.push('account');
  if (userColumn) types.push('user');
  if (types.length === 0) types.push('account');
  const messages = types.map((type) => {
    const fields: Mapping['messages'][number]['fields'] = {};
    if (type === 'organization' && organizationColumn) fields.organizationId = { column: organizationColumn };
    if ((type === 'account' || type === 'user') && accountColumn) fields.accountId = { column: accountColumn };
    if (type === 'user' && userColumn) fields.userId = { column: userColumn };
    if ((type === 'account' || type === 'user') && organizationColumn)
      fields.organizationId = { column: organizationColumn };
    // When the row's changes happened; a messageId column only serves one message per row (ids must be unique).
    const timestampColumn = fieldColumn('timestamp');
    const messageIdColumn = fieldColumn('messageId');
    if (timestampColumn) fields.timestamp = { column: timestampColumn };
    if (messageIdColumn && types.length === 1) fields.messageId = { column: messageIdColumn };
    // Traits go to the last message a row makes (the user when there is one); an account with users keeps its name.
    const last = type === types[types.length - 1];
    const accountName = traits.filter((t) => t.key === 'name' && /account|company/i.test(t.column));
    const own = last
      ? traits.filter((t) => !(types.length > 1 && accountName.includes(t)))
      : type === 'account'
        ? accountName
        : [];
    return { type, fields, traits: distinctKeys(own) };
  });
  return { version: 1, messages, conflicts: 'flag' };
}

/**
 * The column that names each row's message type (“account”, “user”, “organization”…), if one does: nearly all of
 * its first values name a type, and at least two different ones.
 */
export function findTypeColumn(
  columns: readonly string[],
  values: ReadonlyMap<string, readonly string[]>,
): string | null {
  for (const column of columns) {
    const cells = (values.get(column) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    if (cells.length < 2) continue;
    const named = cells.map(typeNamed);
    const known = named.filter((type) => type !== null);
    if (known.length / cells.length >= 0.95 && new Set(known).size >= 2) return column;
  }
  return null;
}

/**
 * For a sheet whose type column says what each row is (the Vitally documentation's own example: organizations,
 * accounts, users, events and custom objects on rows of their own): one message per type found, in the order
 * Vitally needs them; each field and trait mapped for every type whose rows fill its column — so one `name`
 * column is the organization's, the account's and the user's name trait, and a custom object's name field.
 */
export function suggestTypedMapping(
  suggestions: readonly ColumnSuggestion[],
  values: ReadonlyMap<string, readonly string[]>,
): Mapping | null {
  const typeColumn = findTypeColumn(
    suggestions.map((s) => s.column),
    values,
  );
  if (!typeColumn) return null;
  const rowTypes = (values.get(typeColumn) ?? []).map(typeNamed);
  const types = MESSAGE_TYPES.filter((type) => rowTypes.includes(type));
  /** Whether a row of `type` has something in `column`. */
  const filledFor = (column: string, type: MessageType) =>
    (values.get(column) ?? []).some((cell, row) => rowTypes[row] === type && cell.trim() !== '');
  const messages: MessageMapping[] = types.map((type) => {
    const fields: MessageMapping['fields'] = {};
    const traits: TraitMapping[] = [];
    for (const suggestion of suggestions) {
      const { column, target } = suggestion;
      if (column === typeColumn || !filledFor(column, type)) continue;
      const allowed = FIELDS_BY_TYPE[type];
      if (target.kind === 'field') {
        if (allowed.includes(target.field) && fields[target.field] === undefined) fields[target.field] = { column };
        continue;
      }
      if (type === 'unlink') continue;
      // A custom object's name is a field of its message, not a trait.
      if (target.key === 'name' && allowed.includes('name') && fields.name === undefined) {
        fields.name = { column };
        continue;
      }
      const trait = traitOf(suggestion);
      if (trait) traits.push(trait);
    }
    return { type, fields, traits: distinctKeys(traits) };
  });
  return { version: 1, messages, conflicts: 'flag', typeColumn };
}
