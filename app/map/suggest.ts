/**
 * Suggestions for the Map step: what each column probably is, from its header (case, spacing and punctuation
 * ignored, with synonyms) and from its values (emails, dates, numbers, booleans, UUIDs, URLs), each with a
 * confidence and a reason the user can read before accepting it.
 */
import { isExcelScientific, parseValue } from '../build/values.ts';
import type { IdentityField, Mapping, MessageType, TraitMapping, TraitType } from './mapping.ts';

export type SuggestionTarget =
  { kind: 'field'; field: IdentityField } | { kind: 'trait'; key: string; type: TraitType };

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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URL_TEXT = /^https?:\/\/\S+$/i;

export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A trait key from a header: `Plan tier` → `planTier`. */
export function traitKey(header: string): string {
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
    return {
      column,
      target: { kind: 'trait', ...trait },
      confidence: 0.9,
      reason: `The header “${column}” is Vitally’s ${trait.key} trait.`,
    };
  }
  const key = traitKey(column) || 'value';
  if (sample.length === 0)
    return { column, target: { kind: 'trait', key, type: 'text' }, confidence: 0.3, reason: 'The column is empty.' };
  const checks: [TraitType, (value: string) => boolean, string][] = [
    ['boolean', (v) => /^(true|false|yes|no)$/i.test(v), 'true/false values'],
    ['integer', (v) => /^[+-]?\d{1,15}$/.test(v) && !/^0\d/.test(v), 'whole numbers'],
    // Leading zeros mean an identifier or a code, which must stay text.
    [
      'number',
      (v) => parseValue(v, { type: 'number', decimal: '.' }).ok && !isExcelScientific(v) && !/^[+-]?0\d/.test(v),
      'numbers',
    ],
    [
      'datetime',
      (v) => /\d{1,2}:\d{2}/.test(v) && parseValue(v, { type: 'datetime', decimal: '.', dateOrder: 'MDY' }).ok,
      'dates with times',
    ],
    ['date', (v) => parseValue(v, { type: 'date', decimal: '.', dateOrder: 'MDY' }).ok, 'dates'],
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

/**
 * A whole mapping from the suggestions: an account message when there is an account ID column, a user message
 * when there is a user ID column (after the account, so the account exists first), every other column a trait
 * of the most specific message. Track, unlink and custom objects are the user's choice, never guessed.
 */
export function suggestMapping(suggestions: readonly ColumnSuggestion[]): Mapping {
  const fieldColumn = (field: IdentityField) =>
    suggestions.find((s) => s.target.kind === 'field' && s.target.field === field)?.column;
  const accountColumn = fieldColumn('accountId');
  const userColumn = fieldColumn('userId');
  const organizationColumn = fieldColumn('organizationId');
  const traits: TraitMapping[] = suggestions.flatMap((s) =>
    s.target.kind === 'trait'
      ? [{ column: s.column, key: s.target.key, type: s.target.type, blank: 'omit' as const, decimal: '.' as const }]
      : [],
  );
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
    return { type, fields, traits: own };
  });
  return { version: 1, messages, conflicts: 'flag' };
}
