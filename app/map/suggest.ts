/**
 * Suggestions for the Map step: what each column probably is, from its header (case, spacing and punctuation
 * ignored, with synonyms) and from its values (emails, dates, numbers, booleans, UUIDs, URLs), each with a
 * confidence and a reason the user can read before accepting it.
 */
import { FALSE_WORDS, TRUE_WORDS, isExcelScientific, parseValue } from './values.ts';
import {
  DEFAULT_JOIN,
  FIELD_LABELS,
  FIELDS_BY_TYPE,
  MESSAGE_TYPES,
  typeNamed,
  withArticle,
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
  | {
      kind: 'trait';
      key: string;
      type: TraitType;
      dateOrder?: DateOrder;
      decimal?: '.' | ',';
      /** The message it is suggested for, when the file says (a company's name is the account's, not the user's). */
      message?: MessageType;
      /** Joined with the other columns suggested for the same key, with this between (First + Last Name → name). */
      joinWith?: string;
    };

export interface ColumnSuggestion {
  column: string;
  target: SuggestionTarget;
  /** 0–1: how sure the suggestion is. */
  confidence: number;
  /** Why, in words a user can check: “Because the column is called … and its values look like …”. */
  reason: string;
}

/** Header synonyms, already normalised (lower case, letters and digits only). */
const FIELD_SYNONYMS: Record<string, IdentityField> = {
  accountid: 'accountId',
  accountexternalid: 'accountId',
  externalaccountid: 'accountId',
  companyid: 'accountId',
  companyexternalid: 'accountId',
  companyrecordid: 'accountId',
  accountrecordid: 'accountId',
  associatedcompanyid: 'accountId',
  associatedcompanyids: 'accountId',
  primarycompanyid: 'accountId',
  primaryassociatedcompanyid: 'accountId',
  customerid: 'accountId',
  accountnumber: 'accountId',
  sfdcaccountid: 'accountId',
  salesforceaccountid: 'accountId',
  organizationid: 'organizationId',
  organisationid: 'organizationId',
  orgid: 'organizationId',
  organizationexternalid: 'organizationId',
  parentaccountid: 'organizationId',
  userid: 'userId',
  userexternalid: 'userId',
  externaluserid: 'userId',
  contactid: 'userId',
  contactrecordid: 'userId',
  salesforcecontactid: 'userId',
  hubspotcontactid: 'userId',
  leadid: 'userId',
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
  contactemail: { key: 'email', type: 'text' },
  useremail: { key: 'email', type: 'text' },
  workemail: { key: 'email', type: 'text' },
  primaryemail: { key: 'email', type: 'text' },
  name: { key: 'name', type: 'text' },
  fullname: { key: 'name', type: 'text' },
  contactname: { key: 'name', type: 'text' },
  personname: { key: 'name', type: 'text' },
  accountname: { key: 'name', type: 'text' },
  companyname: { key: 'name', type: 'text' },
  company: { key: 'name', type: 'text' },
  associatedcompany: { key: 'name', type: 'text' },
  organizationname: { key: 'name', type: 'text' },
  organisationname: { key: 'name', type: 'text' },
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
  // Numbers that are not amounts: a phone number or a postcode loses its + and leading zeros as a number.
  phone: { key: 'phone', type: 'text' },
  phonenumber: { key: 'phone', type: 'text' },
  mobile: { key: 'mobilePhone', type: 'text' },
  mobilephone: { key: 'mobilePhone', type: 'text' },
  mobilephonenumber: { key: 'mobilePhone', type: 'text' },
  zip: { key: 'zip', type: 'text' },
  zipcode: { key: 'zip', type: 'text' },
  postalcode: { key: 'postalCode', type: 'text' },
  postcode: { key: 'postalCode', type: 'text' },
};

/** Headers of a person's first, middle and last names, and of a person's whole name. */
const FIRST_NAMES = new Set(['firstname', 'givenname', 'forename', 'first', 'fname', 'contactfirstname']);
const MIDDLE_NAMES = new Set(['middlename', 'middleinitial']);
const LAST_NAMES = new Set(['lastname', 'surname', 'familyname', 'last', 'lname', 'contactlastname']);
const PERSON_NAMES = new Set(['fullname', 'contactname', 'personname']);
/** Headers of a company's (an account's) name. */
const COMPANY_NAMES = new Set([
  'companyname',
  'company',
  'accountname',
  'associatedcompany',
  'organizationname',
  'organisationname',
  'employer',
]);
/** Headers of a record's own ID, whatever it is: a contacts export's (a user's) or a companies export's. */
const GENERIC_IDS = new Set(['id', 'recordid', 'objectid', 'uid', 'uuid']);
/** Headers whose first word says they describe the row's company (`Company Domain`, `Account Owner`). */
const COMPANY_PREFIX = /^(?:company|account|organi[sz]ation)\b/i;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Words of a header whose email addresses are another person's: the record's owner, a manager, who made it. */
const SOMEONE_ELSE = [
  'owner',
  'manager',
  'assignee',
  'assigned',
  'agent',
  'author',
  'createdby',
  'modifiedby',
  'updatedby',
  'invitedby',
  'referr',
  'salesrep',
  'csm',
];
const someoneElses = (column: string) => SOMEONE_ELSE.some((word) => normaliseHeader(column).includes(word));
/** Words a boolean column is written in; not 1/0 (whole numbers) nor x or ✓ (marks, too often something else). */
const BOOLEAN_WORDS = new Set([...TRUE_WORDS, ...FALSE_WORDS].filter((word) => !['1', '0', 'x', '✓'].includes(word)));
const YEARISH = /^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})(?:$|[ T])/;
/** A number as written with a decimal comma: `12,5`, `1.234,56`, `-3`. */
const DECIMAL_COMMA = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;
/** A comma that can only be a decimal comma: not followed by exactly three digits (`1,234` is a thousand). */
const commaIsDecimal = (value: string) => /,\d+$/.test(value) && (!/,\d{3}$/.test(value) || /\.\d{3},/.test(value));

/** Up to two distinct examples of the values, quoted: “U-1001”, “U-1002”. */
function examples(sample: readonly string[], fit: (value: string) => boolean = () => true): string {
  const shown = [...new Set(sample.filter(fit))]
    .slice(0, 2)
    .map((v) => `“${v.length > 40 ? `${v.slice(0, 39)}…` : v}”`);
  return shown.join(', ');
}

/** “its values look like dates (“2024-03-04”)”: what a reason says of the values. */
const lookLike = (what: string, shown: string) => `its values look like ${what}${shown ? ` (${shown})` : ''}`;

/** “Because …”, with its first letter and a full stop. */
const because = (...parts: string[]) => `Because ${parts.filter(Boolean).join(' and ')}.`;

/**
 * Dates read from the values: their type (with a time or not) and, when the values say so, the order of day and
 * month — day first when a first number is over 12 (28/10/2022) or the parts are dotted (05.06.2024, as written
 * where day first is the rule); month first when a second number is over 12 (10/28/2022).
 */
function dateSuggestion(
  sample: readonly string[],
): { target: { type: 'date' | 'datetime'; dateOrder?: DateOrder }; words: string; after?: string } | null {
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
  // The examples that show the order: a day over 12, or dots.
  const telling = (v: string) => /^\d{1,2}[./-]/.test(v);
  if (byDay >= 0.95 && !monthOnly && (dayOnly || dotted))
    return {
      target: { type, dateOrder: 'DMY' },
      words: lookLike(
        `${what}, day first`,
        examples(sample, (v) => telling(v) && !parseValue(v, { type, decimal: '.', dateOrder: 'MDY' }).ok) ||
          examples(sample, telling),
      ),
    };
  if (byMonth >= 0.95 && !dayOnly && monthOnly)
    return {
      target: { type, dateOrder: 'MDY' },
      words: lookLike(
        `${what}, month first`,
        examples(sample, (v) => telling(v) && !parseValue(v, { type, decimal: '.', dateOrder: 'DMY' }).ok),
      ),
    };
  if (readable(undefined) >= 0.95) return { target: { type }, words: lookLike(what, examples(sample)) };
  return {
    target: { type },
    words: lookLike(what, examples(sample)),
    after: ' Nothing says whether day or month comes first: choose the date order.',
  };
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URL_TEXT = /^https?:\/\/\S+$/i;
/** A code or ID: no spaces, with a digit (`U-1001`, `0035e00000AbCdE`, `42`). */
const CODE = /^(?=\S*\d)[\w.:#/-]{1,64}$/;

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

/** What a column's values look like, in a reason's words (“its values look like IDs (“U-1001”, “U-1002”)”). */
function valuesWords(sample: readonly string[]): string {
  if (sample.length === 0) return 'it is empty in the first rows';
  const share = (test: (value: string) => boolean) => sample.filter(test).length / sample.length;
  if (share((v) => EMAIL.test(v)) >= 0.95) return lookLike('email addresses', examples(sample));
  if (share((v) => UUID.test(v)) >= 0.95) return lookLike('IDs (UUIDs)', examples(sample));
  const dates = dateSuggestion(sample);
  if (dates) return dates.words;
  if (share((v) => BOOLEAN_WORDS.has(v.toLowerCase())) >= 0.95) return lookLike('true/false values', examples(sample));
  if (share((v) => CODE.test(v)) >= 0.95 && new Set(sample).size >= sample.length * 0.9)
    return lookLike('IDs', examples(sample));
  if (share((v) => /^[+-]?\d[\d.,]*$/.test(v)) >= 0.95) return lookLike('numbers', examples(sample));
  return lookLike('text', examples(sample));
}

/** What one column probably is, from its header and up to a few hundred of its values. */
export function suggestColumn(column: string, values: readonly string[]): ColumnSuggestion {
  const normalised = normaliseHeader(column);
  const sample = values.map((value) => value.trim()).filter((value) => value !== '');
  const called = `the column is called “${column}”`;
  const field = FIELD_SYNONYMS[normalised];
  if (field)
    return {
      column,
      target: { kind: 'field', field },
      confidence: 0.95,
      reason: because(`${called} (${withArticle(FIELD_LABELS[field])})`, valuesWords(sample)),
    };
  const share = (test: (value: string) => boolean) =>
    sample.length === 0 ? 0 : sample.filter(test).length / sample.length;
  const trait = TRAIT_SYNONYMS[normalised];
  if (trait) {
    // A date column named as one still says by its values which order its dates are in.
    const dates = trait.type === 'date' || trait.type === 'datetime' ? dateSuggestion(sample) : null;
    const reserved = ['name', 'email', 'avatar', 'createdAt'].includes(trait.key);
    return {
      column,
      target: { kind: 'trait', ...trait, ...(dates?.target ?? {}) },
      confidence: 0.9,
      reason:
        because(
          `${called}${reserved ? ` (Vitally’s own “${trait.key}” trait)` : ''}`,
          dates?.words ?? valuesWords(sample),
        ) + (dates?.after ?? ''),
    };
  }
  const key = traitKey(column) || 'value';
  if (sample.length === 0)
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.3,
      reason: 'Because the column is empty in the first rows, it is sent as text.',
    };
  const dates = dateSuggestion(sample);
  if (dates)
    return {
      column,
      target: { kind: 'trait', key, ...dates.target },
      confidence: 0.85,
      reason: because(dates.words) + (dates.after ?? ''),
    };
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
        reason: because(lookLike(what, examples(sample))),
      };
    }
  }
  if (share((v) => DECIMAL_COMMA.test(v)) >= 0.95 && sample.some((v) => commaIsDecimal(v))) {
    return {
      column,
      target: { kind: 'trait', key, type: 'number', decimal: ',' },
      confidence: 0.8,
      reason: because(lookLike('numbers written with a decimal comma', examples(sample, commaIsDecimal))),
    };
  }
  if (share((v) => EMAIL.test(v)) >= 0.95) {
    // The owner's or a manager's address is theirs, not the row's own email (nor, in a file without IDs, its ID).
    if (someoneElses(column))
      return {
        column,
        target: { kind: 'trait', key, type: 'text' },
        confidence: 0.7,
        reason: `${because(lookLike('email addresses', examples(sample)))} Its name says they are someone else’s (“${column}”), so it is sent as “${key}”, not as the “email” trait.`,
      };
    return {
      column,
      target: { kind: 'trait', key: 'email', type: 'text' },
      confidence: 0.8,
      reason: because(lookLike('email addresses', examples(sample))),
    };
  }
  if (share((v) => UUID.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.5,
      reason: `${because(lookLike('IDs (UUIDs)', examples(sample)))} Map it to an ID field if it is one.`,
    };
  }
  if (share((v) => URL_TEXT.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.6,
      reason: because(lookLike('web addresses', examples(sample))),
    };
  }
  return {
    column,
    target: { kind: 'trait', key, type: 'text' },
    confidence: 0.5,
    reason: because(lookLike('text', examples(sample))),
  };
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

/** “A”, “B” and “C”. */
function quoted(columns: readonly string[]): string {
  const names = columns.map((c) => `“${c}”`);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/**
 * What the file's columns say its rows are — found from the headers, and the values already read into the
 * suggestions. A row is a person (a user) when a column names the user's ID, or when the file has a person's
 * names and only a record ID or an email address to tell people apart; it belongs to an account when a column
 * names the company's (the account's) ID.
 */
interface FileShape {
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

function shapeOf(suggestions: readonly ColumnSuggestion[]): FileShape {
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

/** Why a suggested message is there, for the Map step to show while the message still has those fields. */
export interface MessageExplanation {
  type: MessageType;
  /** The fields it was suggested with: once they change, the explanation no longer applies. */
  fields: MessageMapping['fields'];
  text: string;
}

/** Each message of a suggested mapping (`suggestMapping`'s) with why it was suggested, in plain words. */
export function explainMapping(mapping: Mapping, given: readonly ColumnSuggestion[]): MessageExplanation[] {
  const suggestions = mapping.typeColumn === undefined ? inContext(given) : given;
  const shape = shapeOf(suggestions);
  const types = mapping.messages.map((m) => m.type);
  return mapping.messages.map((message) => {
    const { type, fields } = message;
    const column = (field: IdentityField) => {
      const source = fields[field];
      return source && 'column' in source ? source.column : null;
    };
    const explain = (text: string) => ({ type, fields, text });
    if (mapping.typeColumn !== undefined)
      return explain(
        `Suggested because the column “${mapping.typeColumn}” names each row’s type, and some rows are ${TYPE_WORDS[type]}; each row makes only the message of its type.`,
      );
    const account = column('accountId');
    const user = column('userId');
    const name = message.traits.filter((t) => t.key === 'name').map((t) => t.column);
    if (type === 'user' && user) {
      const who =
        shape.user?.by === 'email'
          ? `“${user}” holds each person’s email address, which is their user ID since no column holds one`
          : `“${user}” is each row’s user ID`;
      const belongs = account
        ? ` and “${account}” the ID of the account (the company) they belong to`
        : column('organizationId')
          ? ` and “${column('organizationId') ?? ''}” the organization they belong to`
          : '';
      const named =
        name.length > 1
          ? `; ${quoted(name)} are joined into the user’s name`
          : name[0]
            ? `; “${name[0]}” is their name`
            : '';
      return explain(`Suggested because ${who}${belongs}${named}.`);
    }
    if (type === 'account' && account) {
      const named = name[0] ? `, named by “${name[0]}”` : '';
      return explain(
        types.includes('user')
          ? `Suggested because “${account}” is the ID of each user’s account (the company)${named}. It is sent before the user, so the user can belong to it.`
          : `Suggested because “${account}” is each row’s account ID${named}.`,
      );
    }
    if (type === 'organization' && column('organizationId'))
      return explain(`Suggested because “${column('organizationId') ?? ''}” is each row’s organization ID.`);
    return explain(
      'No column’s name says what identifies each row, so each row is suggested as an account: choose the column that holds its ID, or choose another message type.',
    );
  });
}

/** What the rows of each type are, as a reason says it. */
const TYPE_WORDS: Record<MessageType, string> = {
  organization: 'organizations',
  account: 'accounts',
  user: 'users',
  track: 'events',
  customobjectinstance: 'custom objects',
  unlink: 'unlinks',
};

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
