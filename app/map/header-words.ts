/**
 * What a column's header says: header words normalised (case, spacing, punctuation and accents ignored), the
 * synonyms of Vitally's fields and reserved traits, and the words that tell people, companies and record IDs
 * apart — the tables the suggestions read headers by.
 */
import type { IdentityField, TraitType } from './mapping.ts';

/** Header synonyms, already normalised (lower case, letters and digits only). */
export const FIELD_SYNONYMS: Record<string, IdentityField> = {
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

export const TRAIT_SYNONYMS: Record<string, { key: string; type: TraitType }> = {
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
export const FIRST_NAMES = new Set(['firstname', 'givenname', 'forename', 'first', 'fname', 'contactfirstname']);
export const MIDDLE_NAMES = new Set(['middlename', 'middleinitial']);
export const LAST_NAMES = new Set(['lastname', 'surname', 'familyname', 'last', 'lname', 'contactlastname']);
export const PERSON_NAMES = new Set(['fullname', 'contactname', 'personname']);
/** Headers of a company's (an account's) name. */
export const COMPANY_NAMES = new Set([
  'companyname',
  'company',
  'accountname',
  'associatedcompany',
  'organizationname',
  'organisationname',
  'employer',
]);
/** Headers of a record's own ID, whatever it is: a contacts export's (a user's) or a companies export's. */
export const GENERIC_IDS = new Set(['id', 'recordid', 'objectid', 'uid', 'uuid']);
/** Headers whose first word says they describe the row's company (`Company Domain`, `Account Owner`). */
export const COMPANY_PREFIX = /^(?:company|account|organi[sz]ation)\b/i;

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
/** Whether a column's header says its email addresses belong to someone other than the row. */
export const someoneElses = (column: string) => SOMEONE_ELSE.some((word) => normaliseHeader(column).includes(word));

/** A header as the tables above hold it: accents dropped, lower case, letters and digits only. */
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
