/**
 * Suggestions for the Map step: every column's (`column-suggestion.ts`, read on its own, then together:
 * `file-shape.ts`) and the whole mapping made from them — the messages each row makes, their fields, and each
 * trait under its own key. Why each message is suggested is in `explain-mapping.ts`.
 */
import { suggestColumn, type ColumnSuggestion } from './column-suggestion.ts';
import { explainMapping, type MessageExplanation } from './explain-mapping.ts';
import { inContext, shapeOf } from './file-shape.ts';
import { FIRST_NAMES, LAST_NAMES, normaliseHeader, traitKey } from './header-words.ts';
import {
  FIELDS_BY_TYPE,
  MESSAGE_TYPES,
  typeNamed,
  type IdentityField,
  type Mapping,
  type MessageMapping,
  type MessageType,
  type TraitMapping,
} from './mapping.ts';

/** The columns' first values, by column, row by row: what suggestions and the mapping's value checks read. */
export function valuesByColumn(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): Map<string, string[]> {
  return new Map(columns.map((column, index) => [column, rows.map((row) => row[index] ?? '')]));
}

/** The mapping Map suggests for these columns and their first values. */
export function suggestedMapping(columns: readonly string[], values: ReadonlyMap<string, readonly string[]>): Mapping {
  return suggestMapping(suggestColumns(columns, values), values);
}

/** What the Map step shows for a file's columns and first rows: each column's suggestion, the mapping, why. */
export interface MapSuggestion {
  suggestions: ColumnSuggestion[];
  mapping: Mapping;
  explanations: MessageExplanation[];
}

export function mapSuggestion(
  columns: readonly string[],
  values: ReadonlyMap<string, readonly string[]>,
): MapSuggestion {
  const suggestions = suggestColumns(columns, values);
  const mapping = suggestMapping(suggestions, values);
  return { suggestions, mapping, explanations: explainMapping(mapping, suggestions) };
}

/** Every column's suggestion, each read on its own and then together (see `inContext`). */
export function suggestColumns(
  columns: readonly string[],
  values: ReadonlyMap<string, readonly string[]>,
): ColumnSuggestion[] {
  const own = columns.map((column) => suggestColumn(column, values.get(column) ?? []));
  // A sheet whose type column says what each row is gets its mapping from that column.
  return findTypeColumn(columns, values) ? own : inContext(own);
}

/**
 * A whole mapping from the suggestions (read together, see `inContext`): an account message when a column holds
 * the account's ID, a user message when one holds the user's ID (or, in a contacts export without one, the email
 * address) — after the account, so the account exists first, and with its `accountId`. Each trait goes to the
 * message it is suggested for (a company's name to the account), the rest to the last message. Track, unlink and
 * custom objects are the user's choice, never guessed — unless a column names each row's type (see
 * `suggestTypedMapping`), given the columns' first values (`values`, by column, row by row).
 */
export function suggestMapping(
  given: readonly ColumnSuggestion[],
  values?: ReadonlyMap<string, readonly string[]>,
): Mapping {
  const typed = values ? suggestTypedMapping(given, values) : null;
  if (typed) return typed;
  const suggestions = inContext(given);
  const shape = shapeOf(suggestions);
  const fieldColumn = (field: IdentityField) =>
    suggestions.find((s) => s.target.kind === 'field' && s.target.field === field)?.column;
  const accountColumn = shape.account?.column;
  const userColumn = shape.user?.column;
  const organizationColumn = shape.organization ?? undefined;
  const types: MessageType[] = [];
  if (organizationColumn && !accountColumn && !userColumn) types.push('organization');
  if (accountColumn) types.push('account');
  if (userColumn) types.push('user');
  if (types.length === 0) types.push('account');
  const lastType = types[types.length - 1];
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
    // Each trait to the message it is suggested for, when the mapping makes it; the others to the last message.
    const own = suggestions.flatMap((s) => {
      if (s.target.kind !== 'trait') return [];
      const wanted = s.target.message && types.includes(s.target.message) ? s.target.message : lastType;
      return wanted === type ? (traitOf(s) ?? []) : [];
    });
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
    // Nearly all cells must name a type: most columns are ruled out by their first cells.
    const nearlyAll = (unknown: number) => (cells.length - unknown) / cells.length >= 0.95;
    const known = new Set<MessageType>();
    let unknown = 0;
    for (const cell of cells) {
      const type = typeNamed(cell);
      if (type !== null) known.add(type);
      else if (!nearlyAll(++unknown)) break;
    }
    if (nearlyAll(unknown) && known.size >= 2) return column;
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

/** A suggested trait as the mapping holds it. */
function traitOf(suggestion: ColumnSuggestion): TraitMapping | null {
  if (suggestion.target.kind !== 'trait') return null;
  const { key, type, dateOrder, decimal, joinWith } = suggestion.target;
  return {
    column: suggestion.column,
    key,
    type: joinWith === undefined ? type : 'text',
    blank: 'omit',
    decimal: decimal ?? '.',
    ...(dateOrder ? { dateOrder } : {}),
    ...(joinWith === undefined ? {} : { combine: 'join' as const, joinWith }),
  };
}

/** Where a column goes when several are joined: first names before middle names before last names. */
function joinOrder(column: string): number {
  const header = normaliseHeader(column);
  return FIRST_NAMES.has(header) ? 0 : LAST_NAMES.has(header) ? 2 : 1;
}

/**
 * Each trait of a message under its own key: a second column suggested for a key already taken (`Email (2)` beside
 * `Email`) gets its header's key (`email2`), so the default mapping never sends two columns to one trait — unless
 * they are joined into it (First Name and Last Name into `name`), which then sit together, first name first.
 */
function distinctKeys(traits: readonly TraitMapping[]): TraitMapping[] {
  const joined = new Map<string, TraitMapping[]>();
  for (const trait of traits) {
    if (trait.combine === 'join') joined.set(trait.key, [...(joined.get(trait.key) ?? []), trait]);
  }
  const taken = new Set<string>();
  const out: TraitMapping[] = [];
  for (const trait of traits) {
    const group = trait.combine === 'join' ? joined.get(trait.key) : undefined;
    if (group && !taken.has(trait.key)) {
      taken.add(trait.key);
      out.push(...[...group].sort((a, b) => joinOrder(a.column) - joinOrder(b.column)));
      continue;
    }
    if (group) continue;
    let key = trait.key;
    if (taken.has(key)) {
      const own = traitKey(trait.column) || 'value';
      key = own;
      for (let n = 2; taken.has(key); n++) key = `${own}${n}`;
    }
    taken.add(key);
    out.push(key === trait.key ? trait : { ...trait, key });
  }
  return out;
}
