/**
 * The columns' suggestions read together, as the exports people bring are laid out: a contacts export (people,
 * with a record ID or only their email addresses, first and last names, their company's name), a companies export
 * (a record ID and columns about the company), or both in one (a person's ID beside their company's ID). What the
 * file's shape says changes what a column is: a record ID is a user's or an account's, a company's name the
 * account's, an email address the user's ID when nothing else is.
 */
import type { ColumnSuggestion, SuggestionTarget } from './column-suggestion.ts';
import {
  COMPANY_NAMES,
  COMPANY_PREFIX,
  FIRST_NAMES,
  GENERIC_IDS,
  LAST_NAMES,
  MIDDLE_NAMES,
  PERSON_NAMES,
  TRAIT_SYNONYMS,
  normaliseHeader,
  traitKey,
} from './header-words.ts';
import { DEFAULT_JOIN, type IdentityField } from './mapping.ts';
import { because, quoted } from './reasons.ts';

/**
 * What the file's columns say its rows are — found from the headers, and the values already read into the
 * suggestions. A row is a person (a user) when a column names the user's ID, or when the file has a person's
 * names and only a record ID or an email address to tell people apart; it belongs to an account when a column
 * names the company's (the account's) ID.
 */
export interface FileShape {
  user: { column: string; by: 'header' | 'record-id' | 'email' } | null;
  account: { column: string; by: 'header' | 'record-id' } | null;
  organization: string | null;
  /** Columns of a person's first, middle and last names, in the order they are joined. */
  nameParts: string[];
  /** A column with a person's whole name. */
  personName: string | null;
  /** Columns with the name of the row's company. */
  companyNames: string[];
  /** Columns that show the rows are people, for the reasons. */
  personal: string[];
}

export function shapeOf(suggestions: readonly ColumnSuggestion[]): FileShape {
  const headerIs = (set: ReadonlySet<string>) => suggestions.filter((s) => set.has(normaliseHeader(s.column)));
  const field = (name: IdentityField) =>
    suggestions.find((s) => s.target.kind === 'field' && s.target.field === name)?.column ?? null;
  const first = headerIs(FIRST_NAMES)[0]?.column;
  const middle = headerIs(MIDDLE_NAMES)[0]?.column;
  const last = headerIs(LAST_NAMES)[0]?.column;
  const email = suggestions.find((s) => s.target.kind === 'trait' && s.target.key === 'email')?.column ?? null;
  const companyNames = headerIs(COMPANY_NAMES).map((s) => s.column);
  // A plain “Name” beside a company's name is the person's.
  const plainName = companyNames.length > 0 ? headerIs(new Set(['name']))[0]?.column : undefined;
  const personal = [first, middle, last, ...headerIs(PERSON_NAMES).map((s) => s.column), plainName].filter(
    (column): column is string => column !== undefined,
  );
  const recordId = suggestions.find((s) => GENERIC_IDS.has(normaliseHeader(s.column)))?.column ?? null;
  let user: FileShape['user'] = null;
  let account: FileShape['account'] = null;
  const userColumn = field('userId');
  const accountColumn = field('accountId');
  const organization = field('organizationId');
  if (userColumn) user = { column: userColumn, by: recordId === userColumn ? 'record-id' : 'header' };
  if (accountColumn) account = { column: accountColumn, by: recordId === accountColumn ? 'record-id' : 'header' };
  // A record's own ID is a person's when its columns describe people, else an account's.
  const people = personal.length > 0 || (email !== null && companyNames.length === 0);
  if (!user && recordId && recordId !== accountColumn && people) user = { column: recordId, by: 'record-id' };
  else if (!user && !account && recordId && !people) account = { column: recordId, by: 'record-id' };
  // A contacts export without IDs: people are told apart by their email address.
  if (!user && email && (personal.length > 0 || (!account && !organization && companyNames.length === 0)))
    user = { column: email, by: 'email' };
  // Only a person's names: joined when there is no whole name, and no user, no join.
  const personName = headerIs(PERSON_NAMES)[0]?.column ?? null;
  const nameParts = user && !personName && first && last ? [first, ...(middle ? [middle] : []), last] : [];
  return { user, account, organization, nameParts, personName, companyNames, personal };
}

/**
 * With a column called Email (or a synonym), other columns of email addresses (`Personal Email`, `Secondary
 * Email`) are traits of their own, under their headers' keys: the row's email, and its ID in a file without one,
 * is the column that says so.
 */
function ownEmailFirst(suggestions: readonly ColumnSuggestion[]): readonly ColumnSuggestion[] {
  const named = (s: ColumnSuggestion) => TRAIT_SYNONYMS[normaliseHeader(s.column)]?.key === 'email';
  if (!suggestions.some(named)) return suggestions;
  return suggestions.map((s) => {
    if (s.target.kind !== 'trait' || s.target.key !== 'email' || named(s)) return s;
    const key = traitKey(s.column) || 'email';
    if (key === 'email') return s;
    return {
      ...s,
      target: { ...s.target, key },
      reason: `${s.reason} The column “${suggestions.find(named)?.column ?? ''}” is the row’s own email, so this one is sent as “${key}”.`,
    };
  });
}

/**
 * The columns' suggestions read together: a record ID is a user's or an account's, an email address is the user's
 * ID when there is no other, First and Last Name are joined into the user's name, a company's name is the account's
 * name (never the user's), and columns about the company go to the account.
 */
export function inContext(given: readonly ColumnSuggestion[]): ColumnSuggestion[] {
  const suggestions = ownEmailFirst(given);
  const shape = shapeOf(suggestions);
  const both = shape.user !== null && shape.account !== null;
  const others = (column: string) =>
    quoted(shape.personal.filter((c) => c !== column).slice(0, 3)) || 'its email addresses';
  return suggestions.map((suggestion): ColumnSuggestion => {
    const { column, target } = suggestion;
    const header = normaliseHeader(column);
    const called = `the column is called “${column}”`;
    if (target.kind === 'field') return suggestion;
    if (shape.user?.column === column && shape.user.by === 'record-id')
      return {
        column,
        target: { kind: 'field', field: 'userId' },
        confidence: 0.8,
        reason: `${because(called, `the file’s other columns (${others(column)}) describe people`)} It is each user’s ID.`,
      };
    if (shape.account?.column === column && shape.account.by === 'record-id')
      return {
        column,
        target: { kind: 'field', field: 'accountId' },
        confidence: 0.7,
        reason: `${because(called, 'no column describes a person')} It is each account’s ID.`,
      };
    const trait = (patch: Partial<Extract<SuggestionTarget, { kind: 'trait' }>>, reason: string, confidence = 0.9) => ({
      column,
      target: { ...target, ...patch },
      confidence: Math.max(confidence, suggestion.confidence),
      reason,
    });
    if (shape.user?.column === column && shape.user.by === 'email')
      return trait(
        { key: 'email', type: 'text', message: 'user' },
        `${suggestion.reason} The file has no user ID column, so the email address is each user’s ID too.`,
      );
    if (shape.nameParts.includes(column)) {
      const rest = shape.nameParts.filter((c) => c !== column);
      return trait(
        { key: 'name', type: 'text', message: 'user', joinWith: DEFAULT_JOIN },
        `${because(called)} Joined with ${quoted(rest)}, a space between, it is the user’s name.`,
      );
    }
    if (shape.user && (shape.personName === column || header === 'name'))
      return trait(
        { key: 'name', type: 'text', message: 'user' },
        `${because(called)} It is the person’s name: the user’s own “name” trait.`,
      );
    if (shape.companyNames.includes(column)) {
      if (shape.account)
        return trait(
          { key: 'name', type: 'text', message: 'account' },
          `${because(called)} It is the name of the account (the company)${shape.user ? ', not the user’s own name' : ''}.`,
        );
      if (shape.user)
        return trait(
          { key: traitKey(column) || 'company', type: 'text', message: 'user' },
          `${because(called)} It names the user’s company, so it is a trait of the user, not the user’s name. With a column of company IDs, it would be the account’s name.`,
        );
      return suggestion;
    }
    if (both && COMPANY_PREFIX.test(column)) {
      const key = traitKey(column.replace(COMPANY_PREFIX, '')) || traitKey(column);
      return trait(
        { key, message: 'account' },
        `${because(called)} It describes the company, so it is a trait of the account (“${key}”).`,
        suggestion.confidence,
      );
    }
    return suggestion;
  });
}
